/** Compares two documents the way an import must: key order and `updatedAt` do not count as a change. */

const IGNORED = new Set(['updatedAt', 'source']);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const field = (value as Record<string, unknown>)[key];
      if (field !== undefined) out[key] = canonical(field);
    }
    return out;
  }
  return value;
}

/** The top-level fields whose values differ between `before` and `after` (empty: the same document). */
export function changedFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const key of [...keys].sort()) {
    if (IGNORED.has(key)) continue;
    if (JSON.stringify(canonical(a[key])) !== JSON.stringify(canonical(b[key]))) out.push(key);
  }
  return out;
}
