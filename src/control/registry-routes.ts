/** Admin API routes of the registry: agencies, tokens and the audit log; schemas double as the OpenAPI description. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GerbangError } from '../errors.js';
import {
  AgencyBodySchema,
  AgencyIdSchema,
  AgencySchema,
  CreatedTokenSchema,
  TokenBodySchema,
  TokenViewSchema,
} from '../model/agency-schema.js';
import type { AgencyService } from './agency-service.js';
import {
  type Actor,
  AuditEntrySchema,
  type AuditLog,
  type AuditQuery,
  AuditQuerySchema,
} from './audit-log.js';
import { requireAdmin } from './auth.js';
import type { DocumentedSchema } from './openapi.js';
import type { TokenService } from './token-service.js';

export interface RegistryRoutesOptions {
  agencies: AgencyService;
  tokens: TokenService;
  audit: AuditLog;
}

/** The caller and its address, for the audit log; every write route builds one. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
  return { principal: request.principal, ip: request.ip };
}

/** Route hook: refuses non-admins before the body is even validated (403 rather than a 400 that reveals the schema). */
export async function adminOnly(request: FastifyRequest): Promise<void> {
  requireAdmin(actorOf(request).principal);
}

const AgencyParams = Type.Object({ id: AgencyIdSchema });
const TokenParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const NoContent = Type.Null({ description: 'done' });

const schemas = {
  listAgencies: {
    summary: 'List agencies',
    tags: ['agencies'],
    access: 'admin',
    response: { 200: Type.Object({ agencies: Type.Array(AgencySchema) }) },
  },
  getAgency: {
    summary: 'One agency',
    tags: ['agencies'],
    access: 'admin',
    params: AgencyParams,
    response: { 200: AgencySchema },
  },
  putAgency: {
    summary: 'Create or replace an agency',
    description: 'Names in `owns` may not overlap another agency’s. Admin only.',
    tags: ['agencies'],
    access: 'admin',
    params: AgencyParams,
    body: AgencyBodySchema,
    response: { 200: AgencySchema, 201: AgencySchema },
  },
  deleteAgency: {
    summary: 'Remove an agency and its tokens',
    description:
      'Refused (409) while hosts are registered to it, and (409 `AGENCY_HAS_INVENTORY`) while it has inventory ' +
      'entries. Admin only.',
    tags: ['agencies'],
    access: 'admin',
    params: AgencyParams,
    response: { 204: NoContent },
  },
  listTokens: {
    summary: 'List tokens (never their secrets)',
    tags: ['tokens'],
    access: 'admin',
    response: { 200: Type.Object({ tokens: Type.Array(TokenViewSchema) }) },
  },
  createToken: {
    summary: 'Issue a token',
    description: 'The secret is in this answer only; Gerbang keeps its SHA-256. Admin only.',
    tags: ['tokens'],
    access: 'admin',
    body: TokenBodySchema,
    response: { 201: CreatedTokenSchema },
  },
  deleteToken: {
    summary: 'Revoke a token',
    description: 'Refused on every instance within a second. Admin only.',
    tags: ['tokens'],
    access: 'admin',
    params: TokenParams,
    response: { 204: NoContent },
  },
  audit: {
    summary: 'Read the audit log, newest first',
    description: 'An agency token sees only its own entries (made by it or concerning its hosts).',
    tags: ['audit'],
    access: 'agency',
    querystring: AuditQuerySchema,
    response: { 200: Type.Object({ entries: Type.Array(AuditEntrySchema) }) },
  },
} satisfies Record<string, DocumentedSchema>;

export function registerRegistryRoutes(app: FastifyInstance, options: RegistryRoutesOptions): void {
  const { agencies, tokens, audit } = options;

  app.get('/v1/agencies', { schema: schemas.listAgencies, onRequest: adminOnly }, async (request) => {
    requireAdmin(actorOf(request).principal);
    return { agencies: agencies.list() };
  });
  app.get<{ Params: { id: string } }>(
    '/v1/agencies/:id',
    { schema: schemas.getAgency, onRequest: adminOnly },
    async (request) => {
      requireAdmin(actorOf(request).principal);
      return agencies.get(request.params.id);
    },
  );
  app.put<{ Params: { id: string } }>(
    '/v1/agencies/:id',
    { schema: schemas.putAgency, onRequest: adminOnly },
    async (request, reply) => {
      const { doc, created } = await agencies.put(request.params.id, request.body, actorOf(request));
      return reply.code(created ? 201 : 200).send(doc);
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/agencies/:id',
    { schema: schemas.deleteAgency, onRequest: adminOnly },
    async (request, reply) => {
      await agencies.delete(request.params.id, actorOf(request));
      return reply.code(204).send();
    },
  );

  app.get('/v1/tokens', { schema: schemas.listTokens, onRequest: adminOnly }, async (request) => ({
    tokens: tokens.list(actorOf(request)),
  }));
  app.post('/v1/tokens', { schema: schemas.createToken, onRequest: adminOnly }, async (request, reply) => {
    return reply.code(201).send(await tokens.create(request.body, actorOf(request)));
  });
  app.delete<{ Params: { id: string } }>(
    '/v1/tokens/:id',
    { schema: schemas.deleteToken, onRequest: adminOnly },
    async (request, reply) => {
      await tokens.delete(request.params.id, actorOf(request));
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: AuditQuery }>('/v1/audit', { schema: schemas.audit }, async (request) => ({
    entries: await audit.query(actorOf(request).principal, request.query),
  }));
}
