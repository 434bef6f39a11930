/** Konsol's /konsol/admin/sistem (admins only): the store's state and every instance, from the functions of GET /v1/store and /v1/instances. */
import type { FastifyInstance } from 'fastify';
import { requireAdmin } from '../auth.js';
import type { InstanceListing } from '../instance-routes.js';
import type { DocumentedSchema } from '../openapi.js';
import type { StoreRecovery } from '../store-recovery.js';
import type { AccountRouteKit } from './account-routes.js';
import { systemPage } from './store-page.js';
import { STORE_WORDS } from './store-words.js';

/** What the system page reads: the store's status and, where recorded, the instance listing. */
export interface SystemInfo {
  store: Pick<StoreRecovery, 'status'>;
  instances?: InstanceListing;
}

export interface SystemPageKit extends Omit<AccountRouteKit, 'users'> {
  system: SystemInfo;
}

export function registerSystemPageRoutes(konsol: FastifyInstance, kit: SystemPageKit): void {
  const doc: { schema: DocumentedSchema } = {
    schema: {
      summary: "Konsol: the store's state and every instance (admins only)",
      tags: ['konsol'],
      access: 'public',
    },
  };
  konsol.get('/admin/sistem', doc, async (request, reply) => {
    const who = await kit.signedIn(request);
    if (who === undefined) return kit.toLogin(request, reply);
    // The API's rule for /v1/store and /v1/instances: admins only (403 FORBIDDEN otherwise).
    requireAdmin(who.principal);
    const frame = {
      ...kit.frameOf(request, () => STORE_WORDS[kit.langOf(request)].title),
      user: kit.pageUser(who),
    };
    const status = await kit.system.store.status();
    return kit.html(reply, 200, systemPage(frame, status, kit.system.instances?.list()));
  });
}
