/** Keeps an audit entry's before/after bounded: small documents whole, large ones as a summary plus a capped list of changed fields. */
import { createHash } from 'node:crypto';
import {
  DEFAULT_AUDIT_DOC_MAX_BYTES,
  MAX_AUDIT_DIFF_CHANGES,
  MAX_AUDIT_DIFF_VALUE_CHARS,
} from '../config/defaults.js';

export interface AuditChange {
  /** JSON Pointer (RFC 6901) of the changed field. */
  path: string;
  /** Absent when the field was added. */
  before?: unknown;
  /** Absent when the field was removed. */
  after?: unknown;
}

export interface AuditedChange {
  before: unknown;
  after: unknown;
  /** Only when before/after are summaries: what changed, at most MAX_AUDIT_DIFF_CHANGES fields. */
  changes?: AuditChange[];
  /** Changed fields left out of `changes`. */
  changesOmitted?: number;
}

/**
 * A host of 64 routes × 32 targets is ~90 KB of JSON: copied whole as before and after on every write it made a
 * 53 MB state file after 300 writes. Past `maxBytes` the entry keeps each side's top-level scalars, size and
 * SHA-256 (which names the version exactly) and the changed fields, each value cut short.
 */
export function auditedChange(
  before: unknown,
  after: unknown,
  maxBytes = DEFAULT_AUDIT_DOC_MAX_BYTES,
): AuditedChange {
  const beforeJson = JSON.stringify(before ?? null);
  const afterJson = JSON.stringify(after ?? null);
  if (beforeJson.length + afterJson.length <= maxBytes)
    return { before: before ?? null, after: after ?? null };
  const changes: AuditChange[] = [];
  const omitted = { count: 0 };
  diff(before ?? null, after ?? null, '', changes, omitted);
  return {
    before: summarize(before ?? null, beforeJson),
    after: summarize(after ?? null, afterJson),
    changes,
    ...(omitted.count > 0 ? { changesOmitted: omitted.count } : {}),
  };
}

function summarize(value: unknown, json: string): unknown {
  if (value === null || typeof value !== 'object') return cut(value);
  const out: Record<string, unknown> = {
    summarized: true,
    bytes: json.length,
    sha256: createHash('sha256').update(json).digest('hex'),
  };
  if (Array.isArray(value)) return { ...out, items: value.length };
  for (const [key, field] of Object.entries(value)) {
    if (field === null || typeof field !== 'object') out[key] = cut(field);
    else out[key] = Array.isArray(field) ? { items: field.length } : { keys: Object.keys(field).length };
  }
  return out;
}

function cut(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_AUDIT_DIFF_VALUE_CHARS
      ? `${value.slice(0, MAX_AUDIT_DIFF_VALUE_CHARS)}…`
      : value;
  }
  if (value !== null && typeof value === 'object') {
    const json = JSON.stringify(value);
    return json.length > MAX_AUDIT_DIFF_VALUE_CHARS ? `${json.slice(0, MAX_AUDIT_DIFF_VALUE_CHARS)}…` : value;
  }
  return value;
}

const pointer = (parent: string, key: string | number): string =>
  `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

/** Depth-first; arrays compared index by index (a route inserted in front shows as every later one changed). */
function diff(a: unknown, b: unknown, path: string, out: AuditChange[], omitted: { count: number }): void {
  if (a === b) return;
  if (isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a)
      ? Array.from({ length: Math.max(a.length, (b as unknown[]).length) }, (_, i) => i)
      : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const left = (a as Record<string | number, unknown>)[key];
      const right = (b as Record<string | number, unknown>)[key];
      const has = (o: object): boolean => Object.hasOwn(o, key);
      if (!has(a)) push(out, omitted, { path: pointer(path, key), after: cut(right) });
      else if (!has(b)) push(out, omitted, { path: pointer(path, key), before: cut(left) });
      else diff(left, right, pointer(path, key), out, omitted);
    }
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  push(out, omitted, { path: path || '/', before: cut(a), after: cut(b) });
}

function push(out: AuditChange[], omitted: { count: number }, change: AuditChange): void {
  if (out.length < MAX_AUDIT_DIFF_CHANGES) out.push(change);
  else omitted.count++;
}
