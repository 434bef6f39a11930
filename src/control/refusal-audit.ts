/** Refused admin calls (401, 403, 429) in the audit log, summarised: one entry per address, reason and window, with a count. */
import {
  DEFAULT_AUDIT_REFUSAL_ENTRIES_PER_WINDOW,
  DEFAULT_AUDIT_REFUSAL_WINDOW_MS,
} from '../config/defaults.js';
import { type AuditEntry, type AuditLog, nextAuditId } from './audit-log.js';
import { agencyOf, type Principal } from './auth.js';

/** One refused call, as the admin app saw it. */
export interface Refusal {
  ip: string;
  status: number;
  code: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Absent when the caller did not authenticate. */
  principal: Principal | undefined;
}

export interface RefusalAuditOptions {
  windowMs?: number;
  entriesPerWindow?: number;
}

interface Open {
  entry: AuditEntry;
  endsAt: number;
  /** The stored entry's count; a larger `entry.count` is written when the window closes. */
  written: number;
}

const AUDITED_STATUSES = new Set([401, 403, 429]);
/** The address of the one entry that counts refusals past the per-window bound (an address spray). */
export const OVERFLOW_ADDRESS = '*';

/**
 * A flood cannot fill the store: the first refusal of a window is written at once (visible while it happens), the
 * rest only counted in memory and written once when the window closes; at most `entriesPerWindow` entries open
 * per window, whatever the number of addresses.
 */
export class RefusalAudit {
  private readonly open = new Map<string, Open>();
  private readonly windowMs: number;
  private readonly entriesPerWindow: number;
  private windowStart = 0;
  private openedInWindow = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly audit: AuditLog,
    options: RefusalAuditOptions = {},
  ) {
    this.windowMs = options.windowMs ?? DEFAULT_AUDIT_REFUSAL_WINDOW_MS;
    this.entriesPerWindow = options.entriesPerWindow ?? DEFAULT_AUDIT_REFUSAL_ENTRIES_PER_WINDOW;
  }

  record(refusal: Refusal, now = Date.now()): void {
    if (!AUDITED_STATUSES.has(refusal.status)) return;
    const tokenId = refusal.principal?.tokenId ?? '';
    let key = `${refusal.ip}\n${refusal.code}\n${tokenId}`;
    let found = this.open.get(key);
    if (found !== undefined && found.endsAt <= now) {
      this.close(key, found);
      found = undefined;
    }
    if (found === undefined) {
      if (now - this.windowStart >= this.windowMs) {
        this.windowStart = now;
        this.openedInWindow = 0;
      }
      if (this.openedInWindow >= this.entriesPerWindow) {
        key = `${OVERFLOW_ADDRESS}\n${refusal.code}`;
        found = this.open.get(key);
      }
    }
    if (found !== undefined) {
      found.entry.count = (found.entry.count ?? 1) + 1;
      found.entry.after = { ...(found.entry.after as object), lastAt: new Date(now).toISOString() };
      return;
    }
    this.openedInWindow++;
    const overflow = key.startsWith(`${OVERFLOW_ADDRESS}\n`);
    const entry: AuditEntry = {
      id: nextAuditId(now),
      at: new Date(now).toISOString(),
      tokenId: overflow ? '' : tokenId,
      agency: overflow || refusal.principal === undefined ? null : (agencyOf(refusal.principal) ?? null),
      owners: [],
      ip: overflow ? OVERFLOW_ADDRESS : refusal.ip,
      action: refusal.status === 403 ? 'access.refused' : 'auth.refused',
      target: `${refusal.method} ${refusal.path}`,
      before: null,
      after: { status: refusal.status, code: refusal.code, lastAt: new Date(now).toISOString() },
      count: 1,
    };
    this.open.set(key, { entry, endsAt: now + this.windowMs, written: 1 });
    void this.audit.write(entry);
    this.schedule();
  }

  /** Writes every count still in memory (shutdown). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const writes: Array<Promise<void>> = [];
    for (const [key, found] of this.open) writes.push(this.close(key, found));
    await Promise.all(writes);
  }

  private close(key: string, found: Open): Promise<void> {
    this.open.delete(key);
    if ((found.entry.count ?? 1) <= found.written) return Promise.resolve();
    found.written = found.entry.count ?? 1;
    return this.audit.write(found.entry);
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = Date.now();
      for (const [key, found] of this.open) if (found.endsAt <= now) void this.close(key, found);
      if (this.open.size > 0) this.schedule();
    }, this.windowMs);
    this.timer.unref();
  }
}
