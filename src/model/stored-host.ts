/** Reading and writing host documents in the store: JSON, validated on the way in and on the way out. */
import { Type } from '@sinclair/typebox';
import { HostBodySchema, type HostDoc } from './host-schema.js';
import { compileValidator } from './validate.js';

const StoredHostSchema = Type.Composite([
  Type.Omit(HostBodySchema, ['host']),
  Type.Object({ host: Type.String({ minLength: 1, maxLength: 253 }), updatedAt: Type.String() }),
]);
const storedHost = compileValidator(StoredHostSchema);

export function encodeHost(doc: HostDoc): string {
  // A redirect-only host is stored without routes: the schema's `routes` holds at least one.
  if (doc.routes.length === 0) {
    const { routes: _none, ...rest } = doc;
    return JSON.stringify(rest);
  }
  return JSON.stringify(doc);
}

/** Parses a stored value; throws with the reason if it is not a valid host document for `id`. */
export function decodeHost(id: string, raw: string): HostDoc {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('not JSON');
  }
  // Values written with `routes: []` before encodeHost left it out are the same redirect-only host.
  if (isObject(value) && Array.isArray(value.routes) && value.routes.length === 0) delete value.routes;
  const doc = storedHost.parse(value, `stored host ${id}`);
  if (doc.host !== id) throw new Error(`names host "${doc.host}" under key "${id}"`);
  // A redirect-only host is stored without routes; the data plane reads an empty list.
  return { ...doc, routes: doc.routes ?? [] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
