/** Konsol's admin pages (agencies, users, tokens): registered together, each calling the API's own service. */
import type { FastifyInstance } from 'fastify';
import { registerAdminAgencyRoutes } from './admin-agency-routes.js';
import type { AdminRouteKit } from './admin-kit.js';
import { registerAdminTokenRoutes } from './admin-token-routes.js';
import { registerAdminUserRoutes } from './admin-user-routes.js';

export function registerAdminRoutes(konsol: FastifyInstance, kit: AdminRouteKit): void {
  registerAdminAgencyRoutes(konsol, kit);
  registerAdminUserRoutes(konsol, kit);
  registerAdminTokenRoutes(konsol, kit);
}
