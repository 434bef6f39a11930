/** The audit log: every write through the admin API appended to the store's `audit` namespace, queried by host, agency and time, kept within its retention. */
import { randomBytes } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import {
  DEFAULT_AUDIT_LIMIT,
  DEFAULT_AUDIT_MAX_AGE_DAYS,
  DEFAULT_AUDIT_MAX_ENTRIES,
  DEFAULT_AUDIT_PRUNE_INTERVAL_MS,
  MAX_AUDIT_LIMIT,
} from '../config/defaults.js';
import { GerbangError } from '../errors.js';
import '../model/formats.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { auditedChange } from './audit-diff.js';
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
  count: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: 'refusals (auth.refused, access.refused): how many in the window',
    }),
  ),
  changes: Type.Optional(
    Type.Array(
      Type.Object({
        path: Type.String({ description: 'JSON Pointer of the changed field' }),
        before: Type.Optional(Type.Unknown()),
        after: Type.Optional(Type.Unknown()),
      }),
      { description: 'a large document: before/after are summaries, these the changed fields (bounded)' },
    ),
  ),
  changesOmitted: Type.Optional(Type.Integer({ minimum: 1, description: 'changed fields left out' })),
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
/** The id prefix of a moment: every entry written before `ms` sorts below it. */
function nextAuditIdPrefix(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(13, '0');
}

export function nextAuditId(now: number): string {
  if (now === lastMs) seq++;
  else {
    lastMs = now;
    seq = 0;
  }
  return `${String(now).padStart(13, '0')}-${String(seq).padStart(4, '0')}-${randomBytes(4).toString('hex')}`;
}

export interface AuditRetention {
  maxAgeDays: number;
  maxEntries: number;
  pruneIntervalMs: number;
}

/** Deletes issued at once while pruning: the store batches them, a first prune of a huge log stays bounded. */
const PRUNE_BATCH = 500;

export class AuditLog {
  private readonly retention: AuditRetention;
  private sincePrune = 0;
  private pruning: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    retention: Partial<AuditRetention> = {},
  ) {
    this.retention = {
      maxAgeDays: retention.maxAgeDays ?? DEFAULT_AUDIT_MAX_AGE_DAYS,
      maxEntries: retention.maxEntries ?? DEFAULT_AUDIT_MAX_ENTRIES,
      pruneIntervalMs: retention.pruneIntervalMs ?? DEFAULT_AUDIT_PRUNE_INTERVAL_MS,
    };
  }

  /**
   * Prunes every interval and after every tenth of `maxEntries` new entries, so the log never outgrows its
   * retention by more than that. Not at once: a start is busy enough, and the first run may delete many entries.
   */
  start(): void {
    this.timer = setInterval(() => void this.prune(), this.retention.pruneIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.pruning;
  }

  /**
   * Removes entries older than `maxAgeDays`, then the oldest beyond `maxEntries`; returns how many went. One run at
   * a time; ids sort by time, so no entry needs parsing. Failures are logged: the next run tries again.
   */
  prune(now = Date.now()): Promise<number> {
    this.pruning ??= this.pruneOnce(now).finally(() => {
      this.pruning = undefined;
    });
    return this.pruning;
  }

  private async pruneOnce(now: number): Promise<number> {
    this.sincePrune = 0;
    try {
      const ids = [...(await this.store.getAll('audit')).keys()].sort();
      const oldestKept = nextAuditIdPrefix(now - this.retention.maxAgeDays * 86_400_000);
      let drop = 0;
      while (drop < ids.length && (ids[drop] as string) < oldestKept) drop++;
      drop = Math.max(drop, ids.length - this.retention.maxEntries);
      for (let i = 0; i < drop; i += PRUNE_BATCH) {
        const batch = ids.slice(i, Math.min(drop, i + PRUNE_BATCH));
        await Promise.all(batch.map((id) => this.store.delete('audit', id)));
      }
      if (drop > 0) this.logger.info({ removed: drop, kept: ids.length - drop }, 'audit log pruned');
      return drop;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'audit retention failed; the next run retries');
      return 0;
    }
  }

  /** Appends one entry; a failure is logged, not thrown: the change it records has already happened. */
  async append(actor: Actor, record: AuditRecord): Promise<AuditEntry> {
    const now = Date.now();
    const owners = [...new Set(record.owners.filter((o): o is string => typeof o === 'string'))];
    const entry: AuditEntry = {
      id: nextAuditId(now),
      at: new Date(now).toISOString(),
      tokenId: actor.principal.tokenId,
      agency: agencyOf(actor.principal) ?? null,
      owners,
      ip: actor.ip,
      action: record.action,
      target: record.target,
      // Bounded whatever the document's size: a large one as a summary and its changed fields.
      ...auditedChange(record.before, record.after),
    };
    await this.write(entry);
    return entry;
  }

  /** Stores a whole entry under its id (a new one, or a refusal summary whose count grew); logged, not thrown. */
  async write(entry: AuditEntry): Promise<void> {
    try {
      await this.store.put('audit', entry.id, JSON.stringify(entry));
    } catch (err) {
      this.logger.error({ audit: entry, err: (err as Error).message }, 'audit entry could not be stored');
    }
    if (++this.sincePrune >= Math.max(1, Math.floor(this.retention.maxEntries / 10))) void this.prune();
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
    const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
    const out: AuditEntry[] = [];
    // Ids sort as time: walk newest first and stop at a full page, parsing no more than needed.
    for (const id of [...all.keys()].sort().reverse()) {
      if (out.length >= limit) break;
      const raw = all.get(id) as string;
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
    return out;
  }
}
