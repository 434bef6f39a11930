/** Konsol's /konsol/lalu-lintas: each agency's own traffic of the last hours (an admin's: every host's), read as GET /v1/reports/traffic reads it. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_TRAFFIC_HOURS, DEFAULT_TRAFFIC_PAGE_HOURS } from '../../config/defaults.js';
import type { DocumentedSchema } from '../openapi.js';
import type { TrafficReader } from '../usage/traffic-routes.js';
import type { AccountRouteKit } from './account-routes.js';
import { trafficPage } from './traffic-page.js';
import { TRAFFIC_WORDS } from './traffic-words.js';

export interface TrafficPageKit extends Omit<AccountRouteKit, 'users'> {
  traffic: TrafficReader;
}

const schema: DocumentedSchema = {
  summary: "Konsol: the signed-in user's traffic per host over the last hours (an admin: every host)",
  tags: ['konsol'],
  access: 'public',
  querystring: Type.Object({
    hours: Type.Optional(Type.Integer({ minimum: 1, maximum: DEFAULT_TRAFFIC_HOURS })),
    lang: Type.Optional(Type.String({ maxLength: 8 })),
  }),
};

export function registerTrafficPageRoutes(konsol: FastifyInstance, kit: TrafficPageKit): void {
  konsol.get<{ Querystring: { hours?: number } }>('/lalu-lintas', { schema }, async (request, reply) => {
    const who = await kit.signedIn(request);
    if (who === undefined) return kit.toLogin(request, reply);
    const frame = {
      ...kit.frameOf(request, () => TRAFFIC_WORDS[kit.langOf(request)].title),
      user: kit.pageUser(who),
    };
    // The API's reading with the API's checks: an agency member's report holds their agency's records only.
    const report = await kit.traffic.read(who.principal, {
      hours: request.query.hours ?? DEFAULT_TRAFFIC_PAGE_HOURS,
    });
    return kit.html(reply, 200, trafficPage(frame, report));
  });
}
