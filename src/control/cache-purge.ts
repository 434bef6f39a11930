/** POST /v1/cache/purge { host, prefix? }: validates the call, asks the guard, and purges on every instance through the shared cache. */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { MAX_PATH_LENGTH } from '../config/defaults.js';
import { GerbangError } from '../errors.js';
import { normalizeRegisteredHost } from '../model/host-name.js';
import { compileValidator } from '../model/validate.js';
import type { Actor, AuditLog } from './audit-log.js';
import type { Principal } from './auth.js';
import type { DocumentedSchema } from './openapi.js';
import { actorOf } from './registry-routes.js';

export const CachePurgeBodySchema = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253 }),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: '^/[^\\s#]*$' })),
  },
  { additionalProperties: false },
);

const purgeBody = compileValidator(CachePurgeBodySchema);

export interface CachePurger {
  purge(host: string, prefix: string): Promise<{ removed: number; instances: 'all' | 'local' }>;
}

export const CachePurgeResultSchema = Type.Object({
  host: Type.String(),
  prefix: Type.String(),
  removed: Type.Integer({
    description: 'URLs removed from this instance’s memory (other instances purge their own)',
  }),
  instances: Type.Union([Type.Literal('all'), Type.Literal('local')], {
    description: '`all` when the purge went out through Redis; `local` on the embedded store (one instance)',
  }),
});

export type CachePurgeResult = Static<typeof CachePurgeResultSchema>;

export interface CachePurgeOptions {
  purger: CachePurger;
  zones: readonly string[];
  /** Throws (FORBIDDEN, HOST_NOT_OWNED, ...) unless `principal` may purge `host`; the default allows admins only. */
  authorize?: (principal: Principal, host: string) => void;
  /** Whether Gerbang serves `host` (exactly or under a wildcard); a purge of anything else is 404. */
  served?: (host: string) => boolean;
  /** Where a successful purge is recorded, with the agency that owns the host. */
  audit?: { log: AuditLog; ownerOf: (host: string) => string | undefined };
}

function adminOnly(principal: Principal): void {
  if (principal.scope !== 'admin')
    throw new GerbangError('FORBIDDEN', 'purging the cache needs an admin token');
}

/** The whole purge operation, callable from the route or anything else that holds a principal. */
export async function purgeCache(
  options: CachePurgeOptions,
  principal: Principal | undefined,
  body: unknown,
): Promise<CachePurgeResult> {
  if (principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
  const parsed = purgeBody.parse(body ?? {}, 'purge request');
  const host = normalizeRegisteredHost(parsed.host, options.zones);
  (options.authorize ?? adminOnly)(principal, host);
  // Checked after authorisation, so an agency cannot learn through a purge which other names exist.
  if (options.served !== undefined && !options.served(host)) {
    throw new GerbangError('HOST_NOT_FOUND', `host ${host} is not registered: nothing of it is cached`);
  }
  const prefix = parsed.prefix ?? '/';
  const { removed, instances } = await options.purger.purge(host, prefix);
  return { host, prefix, removed, instances };
}

/** The audit entry of a purge, whoever asked for it (the API or Konsol). */
export async function auditPurge(
  options: CachePurgeOptions,
  actor: Actor,
  result: CachePurgeResult,
): Promise<void> {
  await options.audit?.log.append(actor, {
    action: 'cache.purge',
    target: result.host,
    owners: [options.audit.ownerOf(result.host)],
    before: null,
    after: { prefix: result.prefix, removed: result.removed, instances: result.instances },
  });
}

export function registerCachePurgeRoute(app: FastifyInstance, options: CachePurgeOptions): void {
  const schema: DocumentedSchema = {
    summary: 'Purge cached responses of a host',
    description:
      'Every instance drops the host’s entries under `prefix` (default `/`) within a second. 404 HOST_NOT_FOUND ' +
      'when Gerbang does not serve the host.',
    tags: ['cache'],
    access: 'agency',
    body: CachePurgeBodySchema,
    response: { 200: CachePurgeResultSchema },
  };
  app.post('/v1/cache/purge', { schema }, async (request) => {
    const result = await purgeCache(options, request.principal, request.body);
    await auditPurge(options, actorOf(request), result);
    return result;
  });
}
