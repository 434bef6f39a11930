/** Puts the API's refusal of a host document next to the form field its JSON pointer names. */
import type { GerbangError } from '../../errors.js';
import { FORM_FIELDS } from './host-form-values.js';

/** Messages by form field name; `''` holds those that name no field (ownership, quota, a conflict). */
export type FieldErrors = Map<string, string[]>;

/** The form field a pointer lands in: the longest prefix that is an input, else the section's first input. */
export function fieldOfPointer(pointer: string): string | undefined {
  const segments = pointer.split('/').slice(1);
  for (let n = segments.length; n > 0; n--) {
    const name = segments.slice(0, n).join('.');
    if (FORM_FIELDS.includes(name)) return name;
  }
  const first = segments[0];
  if (first === undefined || first === '') return undefined;
  return FORM_FIELDS.find((name) => name.startsWith(`${first}.`));
}

/** Pointers at the head of a message: `/routes/0/path: ...` or `host is invalid at /routes/0/path: ...`. */
const POINTER_IN_MESSAGE = /(?:^|\sat\s)(\/[^\s:]*)/;

/** Codes whose message is about the name itself, with no pointer in it. */
const ABOUT_THE_NAME = new Set([
  'HOST_NOT_OWNED',
  'HOST_TAKEN',
  'INVALID_HOST',
  'HOST_OUTSIDE_ZONE',
  'CONFIG_MANAGED',
]);

export function fieldErrorsOf(err: GerbangError): FieldErrors {
  const errors: FieldErrors = new Map();
  const add = (field: string, message: string) => errors.set(field, [...(errors.get(field) ?? []), message]);
  const listed = (err.details as { fields?: Array<{ path?: unknown; message?: unknown }> } | undefined)
    ?.fields;
  if (Array.isArray(listed) && listed.length > 0) {
    for (const problem of listed) {
      const path = typeof problem.path === 'string' ? problem.path : '/';
      add(fieldOfPointer(path) ?? '', `${path}: ${String(problem.message)}`);
    }
    return errors;
  }
  const pointer = POINTER_IN_MESSAGE.exec(err.message)?.[1];
  const field = pointer !== undefined ? fieldOfPointer(pointer) : undefined;
  add(field ?? (ABOUT_THE_NAME.has(err.code) ? 'host' : ''), `${err.code}: ${err.message}`);
  return errors;
}
