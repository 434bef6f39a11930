/** Per-host ACME state shared by every instance (namespace `meta`, `acme-status:<host>`): failures, last error, next attempt. */
import { Type } from '@sinclair/typebox';
import { compileValidator } from '../../model/validate.js';
import type { Store } from '../../store/store.js';

export interface AcmeStatus {
  failures: number;
  lastError: string;
  lastAttemptAt: string;
  nextAttemptAt: string;
}

const AcmeStatusSchema = Type.Object({
  failures: Type.Integer({ minimum: 0 }),
  lastError: Type.String(),
  lastAttemptAt: Type.String(),
  nextAttemptAt: Type.String(),
});
const acmeStatus = compileValidator(AcmeStatusSchema);

const PREFIX = 'acme-status:';

export function statusKey(host: string): string {
  return PREFIX + host;
}

function decode(raw: string | undefined): AcmeStatus | undefined {
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return acmeStatus.check(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export async function readStatus(store: Store, host: string): Promise<AcmeStatus | undefined> {
  return decode(await store.get('meta', statusKey(host)));
}

export async function readAllStatuses(store: Store): Promise<Map<string, AcmeStatus>> {
  const out = new Map<string, AcmeStatus>();
  for (const [id, raw] of await store.getAll('meta')) {
    if (!id.startsWith(PREFIX)) continue;
    const status = decode(raw);
    if (status) out.set(id.slice(PREFIX.length), status);
  }
  return out;
}

export async function writeStatus(store: Store, host: string, status: AcmeStatus): Promise<void> {
  await store.put('meta', statusKey(host), JSON.stringify(status));
}

export async function clearStatus(store: Store, host: string): Promise<void> {
  await store.delete('meta', statusKey(host));
}

/** Delay before attempt `failures + 1`: doubles from `minMs`, capped at `maxMs`. */
export function backoffDelay(failures: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
}
