/** Admin API routes for a shared store that came back empty without deletions: look, confirm the empty store, or restore it. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DocumentedSchema } from './openapi.js';
import { actorOf, adminOnly } from './registry-routes.js';
import type { StoreRecovery } from './store-recovery.js';

const RecoveryStatusSchema = Type.Object({
  store: Type.Union([Type.Literal('embedded'), Type.Literal('redis')]),
  connected: Type.Boolean({ description: 'whether this instance reaches the store right now' }),
  stalenessSeconds: Type.Union([Type.Integer(), Type.Null()], {
    description: 'seconds the route table may lag the store: 0 while connected, null if it never matched it',
  }),
  lastSyncAt: Type.Union([Type.String(), Type.Null()], {
    description: 'when the route table last matched the store',
  }),
  suspectEmpty: Type.Boolean({
    description:
      'true while the store is empty (or replaced) without deletions and this instance keeps its routes',
  }),
  routedHosts: Type.Integer({ description: 'stored hosts this instance routes right now' }),
  lastSnapshot: Type.Union([
    Type.Object({
      savedAt: Type.Union([Type.String(), Type.Null()]),
      hosts: Type.Integer(),
      agencies: Type.Integer(),
      tokens: Type.Integer(),
    }),
    Type.Null(),
  ]),
});

const RestoreResultSchema = Type.Object({
  hosts: Type.Integer({ description: 'hosts written back' }),
  agencies: Type.Integer(),
  tokens: Type.Integer(),
  alreadyPresent: Type.Integer({ description: 'entries written since the flush: newer, left as they are' }),
  invalid: Type.Integer({ description: 'hosts of the copy that no longer validate, not written' }),
});

const schemas = {
  status: {
    summary:
      'The store: kind, connected, staleness, whether it is held as suspect (empty without deletions), and this instance’s local copy',
    tags: ['store'],
    access: 'admin',
    response: { 200: RecoveryStatusSchema },
  },
  confirmEmpty: {
    summary: 'Accept an empty store: stored hosts stop being routed',
    description:
      'Only while the store is suspect (409 otherwise). Every instance then routes from the empty store and overwrites its local copy. Audited. Admin only.',
    tags: ['store'],
    access: 'admin',
    response: {
      200: Type.Object({ dropped: Type.Integer({ description: 'stored hosts no longer routed' }) }),
    },
  },
  restore: {
    summary: 'Write this instance’s last known good hosts, agencies and tokens back into the store',
    description:
      'Only while the store is suspect (409 otherwise). Entries written since the flush are kept. Every instance picks the hosts up from the change feed. Audited. Admin only.',
    tags: ['store'],
    access: 'admin',
    response: { 200: RestoreResultSchema },
  },
} satisfies Record<string, DocumentedSchema>;

export function registerStoreRecoveryRoutes(app: FastifyInstance, recovery: StoreRecovery): void {
  app.get('/v1/store', { schema: schemas.status, onRequest: adminOnly }, async () => recovery.status());
  app.post(
    '/v1/store/confirm-empty',
    { schema: schemas.confirmEmpty, onRequest: adminOnly },
    async (request) => recovery.confirmEmpty(actorOf(request)),
  );
  app.post('/v1/store/restore', { schema: schemas.restore, onRequest: adminOnly }, async (request) =>
    recovery.restore(actorOf(request)),
  );
}
