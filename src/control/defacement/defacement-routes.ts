/** GET /v1/defacement: each host's latest defacement findings; an agency token sees its own hosts only. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { GerbangError } from '../../errors.js';
import { normalizeRegisteredHost } from '../../model/host-name.js';
import type { Principal } from '../auth.js';
import { agencyOf } from '../auth.js';
import type { DocumentedSchema } from '../openapi.js';
import type { DefacementFindings } from './defacement-findings.js';
import { type FindingsRecord, FindingsRecordSchema } from './findings-record.js';

export const defacementRouteSchema: DocumentedSchema = {
  summary: 'Defacement findings',
  description:
    'The latest findings of the defacement watch per host (newest first): HTML the cache stored or a sampled ' +
    'proxied page that matched a rule for injected gambling spam or hidden link farms (built-in rules and ' +
    '`defacement.rules` of the config). Checked off the request path; also counted in ' +
    '`gerbang_defacement_findings_total{host,rule}`. `?host=` gives one host; an agency token sees its own hosts.',
  tags: ['status'],
  access: 'agency',
  querystring: Type.Object({
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  }),
  response: {
    200: Type.Object({ hosts: Type.Array(FindingsRecordSchema) }),
  },
};

export interface DefacementRouteOptions {
  findings: DefacementFindings;
  zones: readonly string[];
  /** Throws HOST_NOT_OWNED / HOST_NOT_FOUND as every host-scoped call does. */
  authorize: (principal: Principal, host: string) => void;
  /** The agency a host belongs to now; undefined for DKISP's own or a host gone (then the kept one counts). */
  agencyOfHost: (host: string) => string | undefined;
}

export function registerDefacementRoute(app: FastifyInstance, options: DefacementRouteOptions): void {
  app.get<{ Querystring: { host?: string } }>(
    '/v1/defacement',
    { schema: defacementRouteSchema },
    async (request) => {
      const principal = request.principal;
      if (principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
      const own = agencyOf(principal);
      const ownerOf = (r: FindingsRecord) => options.agencyOfHost(r.host) ?? r.agency;
      if (request.query.host !== undefined) {
        const name = normalizeRegisteredHost(request.query.host, options.zones);
        const record = await options.findings.get(name);
        if (record === undefined || own === undefined || ownerOf(record) !== own)
          options.authorize(principal, name);
        return { hosts: record === undefined ? [] : [record] };
      }
      const records = await options.findings.list();
      return { hosts: own === undefined ? records : records.filter((r) => ownerOf(r) === own) };
    },
  );
}
