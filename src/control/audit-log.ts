/** The audit log: every write through the admin API appended to the store's `audit` namespace, and queried by host, agency and time. */
import { randomBytes } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT } from '../config/defaults.js';
import { GerbangError } from '../errors.js';
import '../model/formats.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { agencyOf, type Principal } from './auth.js';

export const AuditEntrySchema = Type.Object({
  id: Type.String({ description: 'time-ordered: sorts as the entries were written' }),
  at: Type.String({ format: 'date-time' }),
  tokenId: Type.String(),
  agency: Type.Union([Type.String(), Type.Null()], { description: "the caller's agency; null for an admin" }),
  owners: Type.Array(Type.String(), {
    description: 'agencies the change concerns (they may read the entry)',
  }),
  ip: Type.String(),
  action: Type.String({ description: 'host.put, host.delete, agency.put, agency.delete, token.create, ...' }),
  target: Type.String({ description: 'host name, agency id or token id' }),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export const AuditQuerySchema = Type.Object(
  {
    host: Type.Optional(Type.String({ maxLength: 253 })),
    agency: Type.Optional(Type.String({ maxLength: 64 })),
    since: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    until: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_AUDIT_LIMIT, default: DEFAULT_AUDIT_LIMIT }),
    ),
  },
  { additionalProperties: false },
);

export type AuditEntry = Static<typeof AuditEntrySchema>;
export type AuditQuery = Static<typeof AuditQuerySchema>;

/** Who made a change and from where: what every write method of the services receives. */
export interface Actor {
  principal: Principal;
  ip: string;
}

export interface AuditRecord {
  action: string;
  target: string;
  owners: Array<string | undefined>;
  before: unknown;
  after: unknown;
}

let lastMs = 0;
let seq = 0;

/** `<ms, 13 digits>-<seq, 4>-<random>`: lexical order is time order, also for entries of one millisecond. */
function nextId(now: number): string {
  if (now === lastMs) seq++;
  else {
    lastMs = now;
    seq = 0;
  }
  return `${String(now).padStart(13, '0')}-${String(seq).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
}

export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  /** Appends one entry; a failure is logged, not thrown: the change it records has already happened. */
  async append(actor: Actor, record: AuditRecord): Promise<AuditEntry> {
    const now = Date.now();
    const owners = [...new Set(record.owners.filter((o): o is string => typeof o === 'string'))];
    const entry: AuditEntry = {
      id: nextId(now),
      at: new Date(now).toISOString(),
      tokenId: actor.principal.tokenId,
      agency: agencyOf(actor.principal) ?? null,
      owners,
      ip: actor.ip,
      action: record.action,
      target: record.target,
      before: record.before ?? null,
      after: record.after ?? null,
    };
    try {
      await this.store.put('audit', entry.id, JSON.stringify(entry));
    } catch (err) {
      this.logger.error({ audit: entry, err: (err as Error).message }, 'audit entry could not be stored');
    }
    return entry;
  }

  /** Newest first. An agency caller sees only entries it made or that concern its hosts. */
  async query(principal: Principal, query: AuditQuery): Promise<AuditEntry[]> {
    const since = query.since ? Date.parse(query.since) : Number.NEGATIVE_INFINITY;
    const until = query.until ? Date.parse(query.until) : Number.POSITIVE_INFINITY;
    const own = agencyOf(principal);
    if (own !== undefined && query.agency !== undefined && query.agency !== own) {
      throw new GerbangError('FORBIDDEN', `/agency: an agency token reads only its own audit entries`);
    }
    const host = query.host?.toLowerCase().replace(/\.$/, '');
    const all = await this.store.getAll('audit');
    const out: AuditEntry[] = [];
    for (const raw of all.values()) {
      let entry: AuditEntry;
      try {
        entry = JSON.parse(raw) as AuditEntry;
      } catch {
        continue;
      }
      const at = Date.parse(entry.at);
      if (!(at >= since && at <= until)) continue;
      const agency = query.agency ?? own;
      if (agency !== undefined && entry.agency !== agency && !entry.owners?.includes(agency)) continue;
      if (host !== undefined && entry.target !== host) continue;
      out.push(entry);
    }
    out.sort((a, b) => (a.id < b.id ? 1 : -1));
    return out.slice(0, query.limit ?? DEFAULT_AUDIT_LIMIT);
  }
}
