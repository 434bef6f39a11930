/** GET /v1/uptime: a month's uptime per service and per agency, with the incidents; an agency token sees its own. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { GerbangError } from '../../errors.js';
import { normalizeRegisteredHost } from '../../model/host-name.js';
import type { Store } from '../../store/store.js';
import { agencyOf } from '../auth.js';
import type { DocumentedSchema } from '../openapi.js';
import { decodeRecord, downMs, type UptimeRecord } from './uptime-record.js';

const IncidentView = Type.Object({
  start: Type.String({ format: 'date-time' }),
  end: Type.Optional(Type.String({ format: 'date-time', description: 'absent while still down' })),
  durationSeconds: Type.Number({ description: 'within the month' }),
  cause: Type.String(),
});

const ServiceView = Type.Object({
  host: Type.String(),
  agency: Type.Optional(Type.String()),
  uptimePercent: Type.Number(),
  downtimeSeconds: Type.Number(),
  observedSeconds: Type.Number({ description: 'time of the month since the host was first recorded' }),
  incidents: Type.Array(IncidentView),
  minutes: Type.Optional(
    Type.String({
      description:
        'with ?host=: the last day, a character per minute, oldest first: . not recorded, u up, e up but traffic met upstream errors, d down',
    }),
  ),
  hours: Type.Optional(
    Type.String({
      description:
        'with ?host=: the last 90 days, a character per hour, oldest first: . not recorded, else "0" + down minutes',
    }),
  ),
});

const AgencyView = Type.Object({
  agency: Type.String({ description: 'agency id; "-" for hosts of DKISP itself (no agency)' }),
  uptimePercent: Type.Number({ description: 'time-weighted over its hosts' }),
  downtimeSeconds: Type.Number(),
  hosts: Type.Integer(),
});

export const uptimeRouteSchema: DocumentedSchema = {
  summary: 'Monthly uptime',
  description:
    'Uptime of each service (host) for a calendar month (UTC), from Gerbang’s health checks and passive ' +
    'checks, per service and per agency, with the incidents (start, end, cause). A host is down when none of ' +
    'its targets answers (as in `GET /v1/status`). `?month=` defaults to the current month; `?host=` adds the ' +
    'minute and hour bars; an agency token sees its own agency’s hosts.',
  tags: ['status'],
  access: 'agency',
  querystring: Type.Object({
    month: Type.Optional(Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' })),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    agency: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  }),
  response: {
    200: Type.Object({
      month: Type.String(),
      from: Type.String({ format: 'date-time' }),
      to: Type.String({ format: 'date-time' }),
      generatedAt: Type.String({ format: 'date-time' }),
      services: Type.Array(ServiceView),
      agencies: Type.Array(AgencyView),
    }),
  },
};

export interface UptimeRouteOptions {
  store: Store;
  zones: readonly string[];
}

interface Query {
  month?: string;
  host?: string;
  agency?: string;
}

function monthBounds(month: string | undefined, now: number): { name: string; from: number; to: number } {
  const d = new Date(now);
  const [y, m] =
    month === undefined ? [d.getUTCFullYear(), d.getUTCMonth() + 1] : month.split('-').map(Number);
  const year = y ?? d.getUTCFullYear();
  const mon = m ?? 1;
  return {
    name: `${year}-${String(mon).padStart(2, '0')}`,
    from: Date.UTC(year, mon - 1, 1),
    to: Date.UTC(year, mon, 1),
  };
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

function serviceOf(record: UptimeRecord, from: number, to: number, now: number, detail: boolean) {
  const start = Math.max(from, record.since);
  const end = Math.min(to, now);
  const observed = Math.max(0, end - start);
  const down = downMs(record.incidents, start, end, now);
  const incidents = record.incidents
    .filter((i) => i.start < to && (i.end ?? now) > from)
    .map((i) => ({
      start: new Date(i.start).toISOString(),
      ...(i.end !== undefined ? { end: new Date(i.end).toISOString() } : {}),
      durationSeconds: round(downMs([i], from, to, now) / 1000, 3),
      cause: i.cause,
    }));
  return {
    host: record.host,
    ...(record.agency !== undefined ? { agency: record.agency } : {}),
    uptimePercent: observed === 0 ? 100 : round(100 * (1 - down / observed), 3),
    downtimeSeconds: round(down / 1000, 3),
    observedSeconds: round(observed / 1000, 3),
    incidents,
    ...(detail ? { minutes: record.minutes, hours: record.hours } : {}),
  };
}

export function registerUptimeRoute(app: FastifyInstance, options: UptimeRouteOptions): void {
  app.get<{ Querystring: Query }>('/v1/uptime', { schema: uptimeRouteSchema }, async (request) => {
    const principal = request.principal;
    if (principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
    const own = agencyOf(principal);
    const { host, agency } = request.query;
    if (own !== undefined && agency !== undefined && agency !== own) {
      throw new GerbangError('FORBIDDEN', `?agency: an agency token sees its own agency (${own})`);
    }
    const now = Date.now();
    const month = monthBounds(request.query.month, now);
    let records: UptimeRecord[];
    if (host !== undefined) {
      const name = normalizeRegisteredHost(host, options.zones);
      const record = decodeRecord(await options.store.get('uptime', name));
      if (record === undefined) throw new GerbangError('HOST_NOT_FOUND', `no uptime kept for ${name}`);
      if (own !== undefined && record.agency !== own) {
        throw new GerbangError('HOST_NOT_OWNED', `${name} is not a host of agency ${own}`);
      }
      records = [record];
    } else {
      const wanted = own ?? agency;
      records = [...(await options.store.getAll('uptime')).values()]
        .map((raw) => decodeRecord(raw))
        .filter((r): r is UptimeRecord => r !== undefined && (wanted === undefined || r.agency === wanted))
        .sort((a, b) => (a.host < b.host ? -1 : 1));
    }
    const services = records.map((r) => serviceOf(r, month.from, month.to, now, host !== undefined));
    const byAgency = new Map<string, { down: number; observed: number; hosts: number }>();
    for (const s of services) {
      const key = s.agency ?? '-';
      const a = byAgency.get(key) ?? { down: 0, observed: 0, hosts: 0 };
      a.down += s.downtimeSeconds;
      a.observed += s.observedSeconds;
      a.hosts++;
      byAgency.set(key, a);
    }
    return {
      month: month.name,
      from: new Date(month.from).toISOString(),
      to: new Date(month.to).toISOString(),
      generatedAt: new Date(now).toISOString(),
      services,
      agencies: [...byAgency].map(([id, a]) => ({
        agency: id,
        uptimePercent: a.observed === 0 ? 100 : round(100 * (1 - a.down / a.observed), 3),
        downtimeSeconds: round(a.down, 3),
        hosts: a.hosts,
      })),
    };
  });
}
