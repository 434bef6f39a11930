/** Puts a service's refusal beside the form field its JSON pointer names (`/url: ...`, `... is invalid at /name`). */
import type { GerbangError } from '../../errors.js';

const POINTER = /(?:^|\sat\s)\/([a-zA-Z]+)/;

/** Messages by field name; `''` holds the one that names no field of `fields`. */
export function inventoryFieldErrors(err: GerbangError, fields: readonly string[]): Map<string, string> {
  const errors = new Map<string, string>();
  const listed = (err.details as { fields?: Array<{ path?: unknown; message?: unknown }> } | undefined)
    ?.fields;
  const problems =
    Array.isArray(listed) && listed.length > 0
      ? listed.map((p) => ({
          path: typeof p.path === 'string' ? p.path : '/',
          text: `${String(p.path)}: ${String(p.message)}`,
        }))
      : [
          {
            path: POINTER.exec(err.message)?.[0]?.trim().replace(/^at\s/, '') ?? '',
            text: `${err.code}: ${err.message}`,
          },
        ];
  for (const { path, text } of problems) {
    const name = /^\/([a-zA-Z]+)/.exec(path)?.[1] ?? '';
    const field = fields.includes(name) ? name : '';
    errors.set(field, errors.has(field) ? `${errors.get(field)} · ${text}` : text);
  }
  return errors;
}
