/** Admin API of the inventory (/v1/inventory) and of onboarding a legacy portal (/v1/onboard); schemas double as the OpenAPI description. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { InventoryBodySchema, InventoryIdSchema, InventoryViewSchema } from '../../model/inventory-schema.js';
import type { TargetPolicy } from '../../model/target-policy.js';
import type { DocumentedSchema } from '../openapi.js';
import { actorOf } from '../registry-routes.js';
import type { InventoryService } from './inventory-service.js';
import { OnboardBodySchema } from './onboard-body.js';
import { onboardPortal } from './onboard-service.js';

export interface InventoryRoutesOptions {
  inventory: InventoryService;
  policy: TargetPolicy;
  zones: readonly string[];
}

const Params = Type.Object({ id: InventoryIdSchema });

const Hop = Type.Object({
  url: Type.String(),
  status: Type.Integer(),
  location: Type.Optional(Type.String()),
});
const OnboardAnswerSchema = Type.Object({
  probe: Type.Object({
    url: Type.String(),
    reachable: Type.Boolean(),
    error: Type.Optional(Type.String()),
    finalUrl: Type.Optional(Type.String()),
    status: Type.Optional(Type.Integer()),
    redirects: Type.Array(Hop),
    certificate: Type.Optional(
      Type.Object({
        valid: Type.Boolean(),
        error: Type.Optional(Type.String()),
        subject: Type.Optional(Type.String()),
        issuer: Type.Optional(Type.String()),
        validFrom: Type.Optional(Type.String()),
        validTo: Type.Optional(Type.String()),
        daysLeft: Type.Optional(Type.Integer()),
      }),
    ),
    server: Type.Optional(Type.String()),
    poweredBy: Type.Optional(Type.String()),
    versionLeaks: Type.Array(Type.String()),
    title: Type.Optional(Type.String()),
    cache: Type.Record(Type.String(), Type.String()),
    responseMs: Type.Optional(Type.Integer()),
  }),
  proposal: Type.Object({
    host: Type.String(),
    document: Type.Unknown({ description: 'a host document for PUT /v1/hosts/{host}' }),
    notes: Type.Array(Type.String()),
  }),
});

const schemas = {
  list: {
    summary: 'List inventory entries',
    description:
      'An agency token sees its own agency’s entries. Live entries show their host’s app information.',
    tags: ['inventory'],
    access: 'agency',
    response: { 200: Type.Object({ entries: Type.Array(InventoryViewSchema) }) },
  },
  get: {
    summary: 'One inventory entry',
    tags: ['inventory'],
    access: 'agency',
    params: Params,
    response: { 200: InventoryViewSchema },
  },
  put: {
    summary: 'Create or replace an inventory entry',
    description:
      'reported/migrating entries give `name` and their current `url`; a live entry gives only `host` (a host of its agency) and shows that host’s `app`. An agency token writes its own agency’s entries.',
    tags: ['inventory'],
    access: 'agency',
    params: Params,
    body: InventoryBodySchema,
    response: { 200: InventoryViewSchema, 201: InventoryViewSchema },
  },
  delete: {
    summary: 'Remove an inventory entry',
    tags: ['inventory'],
    access: 'agency',
    params: Params,
    response: { 204: Type.Null({ description: 'done' }) },
  },
  onboard: {
    summary: 'Probe a legacy portal and propose its host document',
    description:
      'Reachability, status, redirect chain (at most 5), certificate, version banners, title, cache headers and response time. Only addresses the backend policy allows are probed (400 TARGET_FORBIDDEN). Registers nothing.',
    tags: ['inventory'],
    access: 'agency',
    body: OnboardBodySchema,
    response: { 200: OnboardAnswerSchema },
  },
} satisfies Record<string, DocumentedSchema>;

export function registerInventoryRoutes(app: FastifyInstance, options: InventoryRoutesOptions): void {
  const { inventory } = options;
  app.get('/v1/inventory', { schema: schemas.list }, async (request) => ({
    entries: inventory.list(actorOf(request).principal),
  }));
  app.get<{ Params: { id: string } }>('/v1/inventory/:id', { schema: schemas.get }, async (request) =>
    inventory.get(request.params.id, actorOf(request).principal),
  );
  app.put<{ Params: { id: string } }>(
    '/v1/inventory/:id',
    { schema: schemas.put },
    async (request, reply) => {
      const { view, created } = await inventory.put(request.params.id, request.body, actorOf(request));
      return reply.code(created ? 201 : 200).send(view);
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/inventory/:id',
    { schema: schemas.delete },
    async (request, reply) => {
      await inventory.delete(request.params.id, actorOf(request));
      return reply.code(204).send();
    },
  );
  app.post('/v1/onboard', { schema: schemas.onboard }, async (request) =>
    onboardPortal(request.body, actorOf(request).principal, options),
  );
}
