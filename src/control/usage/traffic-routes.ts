/** GET /v1/reports/traffic: the last hours per host from the gateway's own counters, the same rows Konsol's traffic page shows. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_TRAFFIC_HOURS } from '../../config/defaults.js';
import { GerbangError, isGerbangError } from '../../errors.js';
import type { Store } from '../../store/store.js';
import { agencyOf, type Principal } from '../auth.js';
import type { HostService } from '../host-service.js';
import type { DocumentedSchema } from '../openapi.js';
import { buildTrafficReport, type TrafficReport } from './traffic-report.js';

const Figures = {
  requests: Type.Integer(),
  errors5xx: Type.Integer({ description: 'responses with a 5xx status' }),
  upstreamFailures: Type.Integer({ description: 'refused, reset or timed-out backend attempts' }),
  bytesSent: Type.Integer({ description: 'bytes written to clients, heads and bodies' }),
  cacheHits: Type.Integer(),
  cacheMisses: Type.Integer({ description: 'cacheable requests the backend answered' }),
  cacheHitRatio: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'hits per cacheable request; null without any',
  }),
};

export const trafficRouteSchema: DocumentedSchema = {
  summary: 'Traffic per host over the last hours',
  description:
    `The last \`?hours=\` UTC hours (1 to ${DEFAULT_TRAFFIC_HOURS}, the current one included; all of them when ` +
    'absent) per agency and host, one row per hour, quiet hours as zeros: requests, 5xx errors, upstream failures, ' +
    'bytes sent, cache hits, misses and hit ratio, summed over every instance and worker (written every flush ' +
    'interval). An agency token sees its own agency; `?host=` of a host it does not own is refused ' +
    '(403 HOST_NOT_OWNED).',
  tags: ['reports'],
  access: 'agency',
  querystring: Type.Object({
    hours: Type.Optional(Type.Integer({ minimum: 1, maximum: DEFAULT_TRAFFIC_HOURS })),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  }),
  response: {
    200: Type.Object({
      hours: Type.Integer(),
      from: Type.String({ format: 'date-time', description: 'start of the oldest hour' }),
      generatedAt: Type.String({ format: 'date-time' }),
      hosts: Type.Array(
        Type.Object({
          agency: Type.String({ description: 'empty for a host without an agency' }),
          host: Type.String(),
          ...Figures,
          hours: Type.Array(
            Type.Object({
              hour: Type.String({ format: 'date-time', description: 'start of the hour' }),
              ...Figures,
            }),
          ),
        }),
      ),
    }),
  },
};

export interface TrafficReader {
  /** The report a principal may read: its own agency's records, one host when named (checked as GET /v1/hosts/{host}). */
  read(
    principal: Principal,
    query: { hours?: number | undefined; host?: string | undefined },
  ): Promise<TrafficReport>;
}

/** The one reading of the traffic counters, with its checks, for the API and Konsol alike. */
export function trafficReader(store: Store, hosts: HostService): TrafficReader {
  return {
    async read(principal, query) {
      const own = agencyOf(principal);
      let host: string | undefined;
      if (query.host !== undefined) {
        try {
          host = hosts.get(query.host, principal).host;
        } catch (err) {
          // An admin may still read a removed host's last hours; an agency only a host registered to it.
          if (own !== undefined || !isGerbangError(err) || err.code !== 'HOST_NOT_FOUND') throw err;
          host = query.host.toLowerCase();
        }
      }
      return buildTrafficReport(store, { hours: query.hours ?? DEFAULT_TRAFFIC_HOURS, agency: own, host });
    },
  };
}

export function registerTrafficRoutes(app: FastifyInstance, reader: TrafficReader): void {
  app.get<{ Querystring: { hours?: number; host?: string } }>(
    '/v1/reports/traffic',
    { schema: trafficRouteSchema },
    async (request) => {
      const principal = request.principal;
      if (principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
      return reader.read(principal, request.query);
    },
  );
}
