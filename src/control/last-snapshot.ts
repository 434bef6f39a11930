/** The instance's last known good copy of the shared store (hosts, agencies, tokens) on local disk: routes across a restart while Redis is down, and the source of a restore after Redis came back empty. */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostDoc } from '../model/host-schema.js';
import { syncDir } from '../store/state-journal.js';

export const LAST_SNAPSHOT_FILE = 'last-snapshot.json';

export interface LastSnapshot {
  savedAt: string;
  hosts: HostDoc[];
  /** Raw store values by id, as Redis holds them (tokens only as hashes); absent in files of older versions. */
  agencies?: Record<string, string>;
  tokens?: Record<string, string>;
}

/** What was read: hosts unchecked (the caller validates each), registry entries only when they are strings. */
export interface LoadedSnapshot {
  savedAt: string | undefined;
  hosts: unknown[];
  agencies: Map<string, string>;
  tokens: Map<string, string>;
}

export function lastSnapshotPath(stateDir: string): string {
  return join(stateDir, LAST_SNAPSHOT_FILE);
}

/** Atomic and fsynced: a crash mid-write leaves the previous copy, never half of one. */
export async function saveLastSnapshot(stateDir: string, snapshot: LastSnapshot): Promise<void> {
  const file = lastSnapshotPath(stateDir);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const handle = await open(`${file}.tmp`, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(snapshot), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(`${file}.tmp`, file);
  await syncDir(stateDir);
}

/** Throws when there is no readable file; skips parts that are not of the expected shape. */
export async function loadLastSnapshot(stateDir: string): Promise<LoadedSnapshot> {
  const parsed: unknown = JSON.parse(await readFile(lastSnapshotPath(stateDir), 'utf8'));
  const record = isRecord(parsed) ? parsed : {};
  return {
    savedAt: typeof record.savedAt === 'string' ? record.savedAt : undefined,
    hosts: Array.isArray(record.hosts) ? record.hosts : [],
    agencies: stringEntries(record.agencies),
    tokens: stringEntries(record.tokens),
  };
}

function stringEntries(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!isRecord(value)) return out;
  for (const [id, raw] of Object.entries(value)) if (typeof raw === 'string') out.set(id, raw);
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
