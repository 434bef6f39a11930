/** Konsol's host form as flat string values: from a host document to the inputs, and from the posted inputs to a PUT body. */
import { parse, stringify } from 'yaml';
import { MAX_HOST_FORM_DEPTH } from '../../config/defaults.js';
import { GerbangError } from '../../errors.js';
import type { HostDoc } from '../../model/host-schema.js';

/** What the form holds: every input's text by its name, exactly as typed (so nothing is lost on a refusal). */
export type HostFormValues = Record<string, string>;

/** Nested lists and objects of the document, each edited as one YAML/JSON textarea named by its top-level key. */
export const YAML_FIELDS = [
  'routes',
  'aliases',
  'redirect',
  'redirects',
  'access',
  'rateLimit',
  'headers',
  'errorPages',
] as const;

/** Flat inputs; the dot names the JSON pointer (`maintenance.message` is `/maintenance/message`). */
export const INPUT_FIELDS = [
  'host',
  'agency',
  'maintenance.enabled',
  'maintenance.message',
  'maintenance.until',
  'forceHttps',
  'hsts',
  'hsts.maxAge',
  'hsts.includeSubDomains',
  'hsts.preload',
  'app.name',
  'app.description',
  'app.owner',
  'app.contact',
  'app.category',
  'cache.enabled',
  'cache.maxObjectBytes',
  'serveStaleOnError',
  'compression.enabled',
  'compression.minBytes',
  'compression.gzipLevel',
  'compression.brotliLevel',
  'compression.zstdLevel',
  'probeFilter.mode',
  'probeFilter.status',
] as const;

export const FORM_FIELDS: readonly string[] = [...INPUT_FIELDS, ...YAML_FIELDS, 'updatedAt'];

/** A new host starts with one route to fill in. */
export const NEW_HOST_ROUTES = '- path: /\n  targets:\n    - http://\n';

/** Only the form's own names are kept: anything else posted is dropped, not echoed back. */
export function formValuesOf(posted: Record<string, string | undefined>): HostFormValues {
  const values: HostFormValues = {};
  for (const name of FORM_FIELDS) {
    const value = posted[name];
    if (value !== undefined) values[name] = value;
  }
  return values;
}

function yamlOf(value: unknown): string {
  return value === undefined ? '' : stringify(value, { lineWidth: 0 });
}

const text = (value: string | number | undefined): string => (value === undefined ? '' : String(value));
const onOff = (value: boolean | undefined): string => (value === undefined ? '' : value ? 'on' : 'off');

/** The stored document as the form shows it. */
export function formValuesOfDoc(doc: HostDoc): HostFormValues {
  const hsts = doc.hsts;
  const values: HostFormValues = {
    host: doc.host,
    agency: doc.agency ?? '',
    'maintenance.enabled': doc.maintenance?.enabled ? 'on' : '',
    'maintenance.message': text(doc.maintenance?.message),
    'maintenance.until': text(doc.maintenance?.until),
    forceHttps: doc.forceHttps ? 'on' : '',
    hsts: hsts === undefined ? '' : typeof hsts === 'boolean' ? String(hsts) : 'custom',
    'hsts.maxAge': typeof hsts === 'object' ? String(hsts.maxAge) : '',
    'hsts.includeSubDomains': typeof hsts === 'object' && hsts.includeSubDomains ? 'on' : '',
    'hsts.preload': typeof hsts === 'object' && hsts.preload ? 'on' : '',
    'app.name': text(doc.app?.name),
    'app.description': text(doc.app?.description),
    'app.owner': text(doc.app?.owner),
    'app.contact': text(doc.app?.contact),
    'app.category': text(doc.app?.category),
    'cache.enabled': onOff(doc.cache?.enabled),
    'cache.maxObjectBytes': text(doc.cache?.maxObjectBytes),
    serveStaleOnError: text(doc.serveStaleOnError),
    'compression.enabled': onOff(doc.compression?.enabled),
    'compression.minBytes': text(doc.compression?.minBytes),
    'compression.gzipLevel': text(doc.compression?.gzipLevel),
    'compression.brotliLevel': text(doc.compression?.brotliLevel),
    'compression.zstdLevel': text(doc.compression?.zstdLevel),
    'probeFilter.mode': text(doc.probeFilter?.mode),
    'probeFilter.status': text(doc.probeFilter?.status),
    updatedAt: doc.updatedAt,
  };
  for (const name of YAML_FIELDS) values[name] = yamlOf(doc[name]);
  if (doc.routes.length === 0) values.routes = '';
  return values;
}

/** Deeper than any host document: refused before validation walks it. */
function assertShallow(value: unknown, field: string): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop() as { value: unknown; depth: number };
    if (typeof top.value !== 'object' || top.value === null) continue;
    if (top.depth >= MAX_HOST_FORM_DEPTH) {
      throw new GerbangError(
        'VALIDATION_FAILED',
        `${field}: nested deeper than ${MAX_HOST_FORM_DEPTH} levels`,
      );
    }
    for (const child of Object.values(top.value)) stack.push({ value: child, depth: top.depth + 1 });
  }
}

/**
 * Flow brackets and compact `- - -` runs nest without costing indentation: counted before the parser recurses
 * into them, so an absurd nesting is refused in one pass rather than by exhausting the stack.
 */
function looksTooDeep(source: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  let dashes = 0;
  let lineStart = true;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_HOST_FORM_DEPTH) return true;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n') {
      lineStart = true;
      dashes = 0;
    } else if (lineStart && c === '-' && source[i + 1] === ' ') {
      if (++dashes > MAX_HOST_FORM_DEPTH) return true;
      i++;
    } else if (c !== ' ') lineStart = false;
  }
  return false;
}

/** One textarea's YAML (JSON is YAML too); a syntax error names the field and the line. */
function parseYamlField(source: string, field: string): unknown {
  if (looksTooDeep(source)) {
    throw new GerbangError('VALIDATION_FAILED', `${field}: nested deeper than ${MAX_HOST_FORM_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = parse(source, { maxAliasCount: 50, uniqueKeys: true, prettyErrors: false, schema: 'core' });
  } catch (err) {
    // A parser error, or the stack given out on absurd nesting: the same refusal either way.
    const message = String((err as Error).message ?? err);
    const detail = err instanceof RangeError || /call stack/i.test(message) ? 'nested too deeply' : message;
    throw new GerbangError(
      'VALIDATION_FAILED',
      `${field}: not valid YAML or JSON (${detail.split('\n')[0]})`,
    );
  }
  assertShallow(value, field);
  return value;
}

/** An integer when it reads as one; otherwise the text itself, so the API's validation names the field. */
function integer(raw: string | undefined): number | string | undefined {
  const trimmed = (raw ?? '').trim();
  if (trimmed === '') return undefined;
  return /^-?\d{1,15}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

const present = (raw: string | undefined): string | undefined => {
  const trimmed = (raw ?? '').trim();
  return trimmed === '' ? undefined : raw;
};

function switchOf(raw: string | undefined): boolean | string | undefined {
  if (raw === undefined || raw === '') return undefined;
  return raw === 'on' ? true : raw === 'off' ? false : raw;
}

/** Sets `body[group]` to its `group.key` inputs, each read its own way; unset ones dropped, the group when none is left. */
function putGroup(
  body: Record<string, unknown>,
  values: HostFormValues,
  group: string,
  readers: Record<string, (raw: string | undefined) => unknown>,
): void {
  const set = Object.entries(readers)
    .map(([key, read]) => [key, read(values[`${group}.${key}`])] as const)
    .filter(([, value]) => value !== undefined);
  if (set.length > 0) body[group] = Object.fromEntries(set);
}

function hstsOf(values: HostFormValues): unknown {
  const choice = values.hsts ?? '';
  if (choice === '') return undefined;
  if (choice === 'true') return true;
  if (choice === 'false') return false;
  if (choice !== 'custom') return choice;
  return {
    maxAge: integer(values['hsts.maxAge']),
    ...(values['hsts.includeSubDomains'] === 'on' ? { includeSubDomains: true } : {}),
    ...(values['hsts.preload'] === 'on' ? { preload: true } : {}),
  };
}

/** The body PUT /v1/hosts/{host} would get: built from the inputs, validated by the API's own code after. */
export function hostBodyOf(
  values: HostFormValues,
  options: { withAgency: boolean },
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of YAML_FIELDS) {
    const source = values[name] ?? '';
    if (source.trim() !== '') body[name] = parseYamlField(source, `/${name}`);
  }
  if (options.withAgency && present(values.agency) !== undefined) body.agency = values.agency?.trim();
  const enabled = values['maintenance.enabled'] === 'on';
  const message = present(values['maintenance.message']);
  const until = present(values['maintenance.until'])?.trim();
  if (enabled || message !== undefined || until !== undefined) {
    body.maintenance = {
      enabled,
      ...(message !== undefined ? { message } : {}),
      ...(until ? { until } : {}),
    };
  }
  if (values.forceHttps === 'on') body.forceHttps = true;
  const hsts = hstsOf(values);
  if (hsts !== undefined) body.hsts = hsts;
  // The name is what the directory shows: a filled-in description without it is the API's error on /app/name.
  putGroup(body, values, 'app', {
    name: present,
    description: present,
    owner: present,
    contact: present,
    category: present,
  });
  putGroup(body, values, 'cache', { enabled: switchOf, maxObjectBytes: integer });
  putGroup(body, values, 'compression', {
    enabled: switchOf,
    minBytes: integer,
    gzipLevel: integer,
    brotliLevel: integer,
    zstdLevel: integer,
  });
  const stale = integer(values.serveStaleOnError);
  if (stale !== undefined) body.serveStaleOnError = stale;
  putGroup(body, values, 'probeFilter', { mode: present, status: integer });
  return body;
}
