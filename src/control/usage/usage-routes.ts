/** GET /v1/reports/usage: one month's usage per agency and host, as JSON or as CSV for the budget spreadsheet. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { GerbangError } from '../../errors.js';
import type { Store } from '../../store/store.js';
import { agencyOf } from '../auth.js';
import type { DocumentedSchema } from '../openapi.js';
import { usageCsv } from './usage-csv.js';
import { MONTH_PATTERN } from './usage-keys.js';
import { buildUsageReport } from './usage-report.js';

const Figures = {
  requests: Type.Integer(),
  bytesSent: Type.Integer({ description: 'bytes written to clients, heads and bodies' }),
  bytesSavedByCache: Type.Integer({ description: 'bytes of responses served from the cache' }),
  bytesSavedByCompression: Type.Integer({ description: 'body bytes compression kept off the wire' }),
  cacheHits: Type.Integer(),
  cacheHitRatio: Type.Number({ minimum: 0, maximum: 1 }),
  errors5xx: Type.Integer(),
  upstreamFailures: Type.Integer({ description: 'refused, reset or timed-out backend attempts' }),
  p95UpstreamMs: Type.Union([Type.Number(), Type.Null()], {
    description:
      'upper bound of the bucket holding the 95th percentile of upstream times (30001: slower than 30 s)',
  }),
};

export const usageRouteSchema: DocumentedSchema = {
  summary: 'Usage per agency and host',
  description:
    'One UTC month (`?month=YYYY-MM`, this month when absent) per agency and host, with each day: requests, bytes ' +
    'sent, bytes saved by the cache and by compression, cache hit ratio, errors and p95 upstream time, summed over ' +
    'every instance and worker. `Accept: text/csv` or `?format=csv` gives one CSV row per agency and host ' +
    '(RFC 4180, header row). An agency token sees its own agency; an admin may narrow with `?agency=`.',
  tags: ['reports'],
  access: 'agency',
  querystring: Type.Object({
    month: Type.Optional(Type.String({ maxLength: 16, description: 'YYYY-MM' })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
    agency: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }),
  response: {
    200: Type.Object({
      month: Type.String(),
      generatedAt: Type.String({ format: 'date-time' }),
      hosts: Type.Array(
        Type.Object({
          agency: Type.String({ description: 'empty for a host without an agency' }),
          host: Type.String(),
          ...Figures,
          days: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), ...Figures })),
        }),
      ),
      agencies: Type.Array(Type.Object({ agency: Type.String(), ...Figures })),
    }),
  },
};

interface UsageQuery {
  month?: string;
  format?: 'json' | 'csv';
  agency?: string;
}

export function registerUsageRoutes(app: FastifyInstance, store: Store): void {
  app.get<{ Querystring: UsageQuery }>(
    '/v1/reports/usage',
    { schema: usageRouteSchema },
    async (request, reply) => {
      const principal = request.principal;
      if (principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
      const month = request.query.month ?? new Date().toISOString().slice(0, 7);
      if (!MONTH_PATTERN.test(month)) {
        throw new GerbangError(
          'INVALID_MONTH',
          `month must be YYYY-MM (for example 2026-12), got ${JSON.stringify(month)}`,
        );
      }
      const own = agencyOf(principal);
      if (own !== undefined && request.query.agency !== undefined && request.query.agency !== own) {
        throw new GerbangError('FORBIDDEN', 'an agency token sees its own agency only');
      }
      const report = await buildUsageReport(store, month, own ?? request.query.agency);
      const csv =
        request.query.format === 'csv' ||
        (request.query.format === undefined && wantsCsv(request.headers.accept));
      if (!csv) return report;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="gerbang-usage-${month}.csv"`)
        .send(usageCsv(report));
    },
  );
}

/** text/csv asked for before (or instead of) JSON. */
function wantsCsv(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const csv = accept.indexOf('text/csv');
  if (csv < 0) return false;
  const json = accept.indexOf('application/json');
  return json < 0 || csv < json;
}
