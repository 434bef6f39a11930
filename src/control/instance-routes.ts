/** GET /v1/instances: every live Gerbang instance sharing this store, with its listeners and last heartbeat. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { InstanceView } from './instance-listeners.js';
import type { DocumentedSchema } from './openapi.js';
import { adminOnly } from './registry-routes.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const InstanceSchema = Type.Object({
  id: Type.String({ description: 'random per process start' }),
  self: Type.Boolean({ description: 'true for the instance that answered' }),
  listeners: Type.Array(Type.Object({ host: Type.String(), port: Type.Integer() })),
  startedAt: Nullable(Type.String({ description: 'null for records of older versions' })),
  lastSeenAt: Nullable(Type.String({ description: 'its last heartbeat in the store' })),
  version: Nullable(Type.String()),
});

const listSchema: DocumentedSchema = {
  summary: 'List the live instances (this one first) with their listeners, start and last heartbeat',
  description:
    'From the instance records in the store (Redis); with the embedded store only this instance. An instance that stopped without removing its record is dropped once the record expires. Admin only.',
  tags: ['store'],
  access: 'admin',
  response: { 200: Type.Object({ instances: Type.Array(InstanceSchema) }) },
};

/** The listing both /v1/instances and Konsol's system page read. */
export interface InstanceListing {
  list(): InstanceView[];
}

export function registerInstanceRoutes(app: FastifyInstance, instances: InstanceListing): void {
  app.get('/v1/instances', { schema: listSchema, onRequest: adminOnly }, async () => ({
    instances: instances.list(),
  }));
}
