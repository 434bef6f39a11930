/** GET /v1/status: every host's targets with their health, since when and why; an agency token sees its own hosts. */
import { performance } from 'node:perf_hooks';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { statusOf } from '../../data/directory/directory-data.js';
import type { TargetState } from '../../data/proxy/balancer.js';
import type { CompiledHost, Snapshot } from '../../data/routing/snapshot.js';
import { GerbangError } from '../../errors.js';
import { normalizeRegisteredHost } from '../../model/host-name.js';
import { agencyOf, type Principal } from '../auth.js';
import type { DocumentedSchema } from '../openapi.js';
import type { CheckStatus } from './health-checker.js';

const CheckView = Type.Object({
  path: Type.String(),
  up: Type.Boolean(),
  lastCheckAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastResult: Type.Optional(Type.String({ description: 'status code, or timeout / refused / reset' })),
});

const TargetView = Type.Object({
  target: Type.String(),
  weight: Type.Integer(),
  up: Type.Boolean({
    description:
      'answering now: its health checks pass and its last answers were good (a probing target is down until its probes succeed)',
  }),
  condition: Type.Union(
    ['healthy', 'unhealthy', 'ejected', 'open', 'probing'].map((c) => Type.Literal(c)),
    {
      description:
        'unhealthy: active checks fail; ejected: passive checks; open: circuit breaker; probing: half-open',
    },
  ),
  since: Type.String({ format: 'date-time', description: 'when the target last went up or down' }),
  reason: Type.String(),
  inFlight: Type.Integer(),
  checks: Type.Array(CheckView),
});

const HostStatusView = Type.Object({
  host: Type.String(),
  agency: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('maintenance')]),
  routes: Type.Array(
    Type.Object({ path: Type.String(), balance: Type.String(), targets: Type.Array(TargetView) }),
  ),
});

export const statusRouteSchema: DocumentedSchema = {
  summary: 'Targets’ health',
  description:
    'Each host’s targets: whether they answer, their condition (active checks, passive ejection, circuit ' +
    'breaker), since when and why. `?host=` narrows to one host. An agency token sees its own hosts.',
  tags: ['status'],
  access: 'agency',
  querystring: Type.Object({ host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })) }),
  response: {
    200: Type.Object({
      generatedAt: Type.String({ format: 'date-time' }),
      hosts: Type.Array(HostStatusView),
    }),
  },
};

export interface StatusRouteOptions {
  /** The snapshot whose target states are shown (in cluster mode: the primary's, fed by the workers). */
  snapshot: () => Snapshot;
  checks: (origin: string) => CheckStatus[];
  zones: readonly string[];
  /** Throws unless the principal may see the host (assertHostAccess). */
  authorize: (principal: Principal, host: string) => void;
}

function targetView(state: TargetState, weight: number, now: number, checks: CheckStatus[]) {
  return {
    target: state.origin,
    weight,
    up: state.isUp(),
    condition: state.condition(now),
    since: new Date(state.changedAt).toISOString(),
    reason: state.activeUp ? state.reason : `health check failed: ${state.activeReason}`,
    inFlight: state.inFlight,
    checks,
  };
}

export function hostStatus(host: CompiledHost, now: number, checks: StatusRouteOptions['checks']) {
  return {
    host: host.name,
    ...(host.agency !== undefined ? { agency: host.agency } : {}),
    status: statusOf(host),
    routes: host.routes.map((route) => ({
      path: route.path,
      balance: route.balancer.policy,
      targets: route.balancer.targets.map((t, i) =>
        targetView(t, route.spec.weights?.[i] ?? 1, now, checks(t.origin)),
      ),
    })),
  };
}

export function registerStatusRoute(app: FastifyInstance, options: StatusRouteOptions): void {
  app.get<{ Querystring: { host?: string } }>(
    '/v1/status',
    { schema: statusRouteSchema },
    async (request) => {
      const principal = request.principal;
      if (principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
      const snapshot = options.snapshot();
      const now = performance.now();
      let hosts: CompiledHost[];
      if (request.query.host !== undefined) {
        const name = normalizeRegisteredHost(request.query.host, options.zones);
        options.authorize(principal, name);
        const found = name.startsWith('*.')
          ? snapshot.wildcards.get(name.slice(2))
          : snapshot.exact.get(name);
        if (found === undefined) throw new GerbangError('HOST_NOT_FOUND', `host ${name} is not registered`);
        hosts = [found];
      } else {
        const agency = agencyOf(principal);
        hosts = [...snapshot.exact.values(), ...snapshot.wildcards.values()]
          .filter((h) => agency === undefined || h.agency === agency)
          .sort((a, b) => (a.name < b.name ? -1 : 1));
      }
      return {
        generatedAt: new Date().toISOString(),
        hosts: hosts.map((h) => hostStatus(h, now, options.checks)),
      };
    },
  );
}
