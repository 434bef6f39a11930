/** The embedded store's append-only journal: one JSON line per write, fsynced before the write is acknowledged. */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { isNamespace } from './namespaces.js';
import type { Namespace } from './store.js';

export const JOURNAL_FILE_NAME = 'store.journal';

export type JournalOp =
  | { ns: Namespace; id: string; value: string }
  | { ns: Namespace; id: string; value: null };

export interface JournalRead {
  ops: JournalOp[];
  bytes: number;
  /** Lines that were not a write record (a torn last line after a crash, or damage). */
  skipped: number;
}

export function encodeOps(ops: readonly JournalOp[]): string {
  let text = '';
  for (const op of ops) text += `${JSON.stringify([op.ns, op.id, op.value])}\n`;
  return text;
}

/** Every record of the journal, in order; an absent journal is an empty one. */
export async function readJournal(file: string): Promise<JournalRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT')
      return { ops: [], bytes: 0, skipped: 0 };
    throw err;
  }
  const ops: JournalOp[] = [];
  let skipped = 0;
  const lines = text.split('\n');
  // Whatever follows the last newline is an append that never completed, so it was never acknowledged.
  const torn = lines.pop() ?? '';
  if (torn !== '') skipped++;
  for (const line of lines) {
    if (line === '') continue;
    const op = decodeLine(line);
    if (op) ops.push(op);
    else skipped++;
  }
  return { ops, bytes: Buffer.byteLength(text), skipped };
}

function decodeLine(line: string): JournalOp | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 3) return undefined;
  const [ns, id, v] = value as unknown[];
  if (typeof ns !== 'string' || !isNamespace(ns) || typeof id !== 'string') return undefined;
  if (typeof v === 'string') return { ns, id, value: v };
  return v === null ? { ns, id, value: null } : undefined;
}

/**
 * Appends `text` and fsyncs it. Opened per batch rather than held open, so a journal path that was replaced
 * or became unwritable fails the write instead of landing in an unlinked file. On a failed write the journal
 * is cut back to where it was, so a refused write cannot come back at the next start.
 * Returns the journal's size after the append.
 */
export async function appendJournal(file: string, dir: string, text: string): Promise<number> {
  const handle = await open(file, 'a', 0o600);
  let before = -1;
  try {
    before = (await handle.stat()).size;
    await handle.write(text);
    await handle.sync();
    const after = before + Buffer.byteLength(text);
    // A new file is durable only once its directory entry is.
    if (before === 0) await syncDir(dir);
    return after;
  } catch (err) {
    if (before >= 0) await handle.truncate(before).catch(() => undefined);
    throw err;
  } finally {
    await handle.close();
  }
}

/** Drops the journal once the state file holds everything in it. */
export async function removeJournal(file: string, dir: string): Promise<void> {
  await rm(file, { force: true });
  await syncDir(dir);
}

export async function journalSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the data file itself is already synced.
  } finally {
    await handle.close();
  }
}
