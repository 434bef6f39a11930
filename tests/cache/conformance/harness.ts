/**
 * Runs RFC 9111 conformance cases through a real gateway the way the public cache-tests suite judges a cache:
 * a backend that answers each numbered request of a case as scripted and records what it saw, a client that
 * decides from `Server-Request-Count` whether a response came from the cache, and the same checks on status,
 * headers and bodies. Our own implementation; each case is named with the suite's test id it mirrors.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';
import { type HttpResponse, http } from '../../helpers/http.js';
import { type CacheSetup, cacheSetup, HOST } from '../kit.js';

/** How the response is expected to have been produced. */
export type Expect = 'cached' | 'not_cached' | 'etag_validated' | 'lm_validated';

/**
 * A response header the backend sends: a number for a date header is seconds from the backend's now.
 * `check: false` = the suite does not require the field to reach the client unchanged.
 */
export type SentHeader = [name: string, value: string | number, check?: boolean];

export type ExpectedHeader = [name: string, value: string | number] | [name: string, op: '>', value: number];

export interface Step {
  method?: string;
  /** false: leave out the Pragma / Cache-Control lines the suite's client adds to every request. */
  suiteDefaults?: boolean;
  /** Request header lines (a name may repeat). */
  requestHeaders?: [string, string][];
  requestBody?: string;
  /** Status the backend answers (default 200). */
  status?: number;
  responseHeaders?: SentHeader[];
  /** Body the backend answers; default the case's id token; null = no body. */
  body?: string | null;
  expect?: Expect;
  expectStatus?: number;
  expectHeaders?: ExpectedHeader[];
  expectMissing?: string[];
  /** The field may be present (the gateway's own Connection, say) but must not carry this value. */
  expectMissingValues?: [string, string][];
  expectText?: string;
  /** The method the backend must have received. */
  expectMethod?: string;
  /** Headers the backend must have received. */
  expectRequestHeaders?: [string, string][];
  checkBody?: boolean;
  /** Path below the case's URL (`/test/<token>/<filename>`). */
  filename?: string;
  query?: string;
  /** Location / Content-Location become paths below this request's URL. */
  magicLocations?: boolean;
  /** ms to wait before the next step (the suite waits 3 s; cases wait just what their ages need). */
  pauseMs?: number;
}

/** The suite's kinds: `required` is what RFC 9111 makes mandatory; `optimal` and `check` are secondary. */
export type Kind = 'required' | 'optimal' | 'check';

export interface ConformanceCase {
  /** The cache-tests id this case mirrors. */
  id: string;
  kind: Kind;
  title: string;
  steps: Step[];
}

const DATE_HEADERS = new Set([
  'date',
  'expires',
  'last-modified',
  'if-modified-since',
  'if-unmodified-since',
]);
const LOCATION_HEADERS = new Set(['location', 'content-location']);
const NO_BODY = new Set([204, 304]);

interface Seen {
  requestNum: number;
  method: string;
  headers: IncomingHttpHeaders;
  /** Headers sent that the client must receive unchanged (name, value as sent). */
  checked: [string, string][];
}

interface Registered {
  steps: Step[];
  seen: Seen[];
}

function headerValue(spec: SentHeader, now: number, baseUrl: string, magic: boolean): string {
  const name = spec[0].toLowerCase();
  const value = spec[1];
  if (typeof value === 'number' && DATE_HEADERS.has(name)) return new Date(now + value * 1000).toUTCString();
  if (LOCATION_HEADERS.has(name) && magic) return value ? `${baseUrl}/${value}` : baseUrl;
  // `{base}` stands for this request's path (for absolute URLs that must name the case's own paths).
  return String(value).replace('{base}', baseUrl);
}

/** The scripted backend: one handler for every case of a file, keyed by the token in the path. */
export class ScriptedBackend {
  readonly #cases = new Map<string, Registered>();

  register(token: string, steps: Step[]): Registered {
    const reg = { steps, seen: [] };
    this.#cases.set(token, reg);
    return reg;
  }

  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    // Bodies of unsafe requests are read and dropped before answering.
    req.resume();
    req.on('end', () => this.#answer(req, res));
  };

  #answer(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const token = url.split('?')[0]?.split('/')[2] ?? '';
    const reg = this.#cases.get(token);
    if (reg === undefined) {
      res.writeHead(404).end('unknown case');
      return;
    }
    const serverNum = reg.seen.length + 1;
    const clientNum = Number.parseInt(String(req.headers['req-num']), 10);
    const num = Number.isNaN(clientNum) ? serverNum : clientNum;
    const step = reg.steps[num - 1];
    if (step === undefined) {
      res.writeHead(409).end(`no step ${num}`);
      return;
    }
    const previous = reg.steps[num - 2];
    const now = Date.now();
    let status = step.status ?? 200;
    if (step.expect === 'etag_validated' || step.expect === 'lm_validated') {
      const sentBefore = (name: string): string | undefined => {
        const h = previous?.responseHeaders?.find((x) => x[0].toLowerCase() === name);
        return h === undefined ? undefined : String(h[1]);
      };
      const lm = sentBefore('last-modified');
      const etag = sentBefore('etag');
      status =
        (lm !== undefined && req.headers['if-modified-since'] === lm) ||
        (etag !== undefined && req.headers['if-none-match'] === etag)
          ? 304
          : 999;
    }
    const baseUrl = url.split('?')[0] ?? url;
    const out = new Map<string, string[]>();
    const names = new Map<string, string>();
    const checked: [string, string][] = [];
    for (const spec of step.responseHeaders ?? []) {
      const lower = spec[0].toLowerCase();
      const value = headerValue(spec, now, baseUrl, step.magicLocations === true);
      names.set(lower, spec[0]);
      out.set(lower, [...(out.get(lower) ?? []), value]);
      if (spec[2] !== false) checked.push([lower, (out.get(lower) ?? []).join(', ')]);
    }
    res.statusCode = status;
    res.setHeader('Server-Base-Url', url);
    res.setHeader('Server-Request-Count', String(serverNum));
    res.setHeader('Client-Request-Count', String(clientNum));
    res.setHeader('Server-Now', String(now));
    for (const [lower, values] of out)
      res.setHeader(names.get(lower) ?? lower, values.length === 1 ? (values[0] as string) : values);
    if (!out.has('content-type')) res.setHeader('Content-Type', 'text/plain');
    // The last value of a field sent on several lines is what the client compares against.
    const lastChecked = new Map(checked);
    reg.seen.push({
      requestNum: clientNum,
      method: req.method ?? '',
      headers: req.headers,
      checked: [...lastChecked],
    });
    if (NO_BODY.has(status) || step.body === null) {
      res.end();
      return;
    }
    let body = step.body ?? token;
    // A scripted Content-Length shorter than the body: send exactly that many bytes, as a well-framed message.
    const length = out.get('content-length')?.[0];
    if (length !== undefined && /^\d+$/.test(length))
      body = body.slice(0, Number(length)).padEnd(Number(length), '.');
    res.end(body);
  }
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function expectedValue(name: string, value: string | number, response: HttpResponse): string {
  if (typeof value === 'number' && DATE_HEADERS.has(name.toLowerCase())) {
    const now = Number(response.headers['server-now']);
    return new Date(now + value * 1000).toUTCString();
  }
  return String(value);
}

/** Runs one case and returns what failed (empty = pass), in the suite's terms. */
async function runCase(setup: CacheSetup, backend: ScriptedBackend, c: ConformanceCase): Promise<string[]> {
  const token = randomUUID();
  const reg = backend.register(token, c.steps);
  const failures: string[] = [];
  const responses: HttpResponse[] = [];
  for (let i = 0; i < c.steps.length; i++) {
    const step = c.steps[i] as Step;
    const num = i + 1;
    let path = `/test/${token}`;
    if (step.filename !== undefined) path += `/${step.filename}`;
    if (step.query !== undefined) path += `?${step.query}`;
    const headers: Record<string, string | string[]> = {};
    const add = (name: string, value: string): void => {
      const key = name.toLowerCase();
      const prior = headers[key];
      headers[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    };
    // What the suite's non-browser client sends on every request.
    if (step.suiteDefaults !== false) {
      add('Pragma', 'foo');
      add('Cache-Control', 'nothing-to-see-here');
    }
    for (const [name, value] of step.requestHeaders ?? []) add(name, value);
    add('Test-ID', c.id);
    add('Req-Num', String(num));
    let res: HttpResponse;
    try {
      res = await http(`${setup.gw.url}${path}`, {
        host: HOST,
        method: step.method ?? 'GET',
        headers: headers as OutgoingHttpHeaders,
        ...(step.requestBody !== undefined ? { body: step.requestBody } : {}),
        timeoutMs: 10_000,
      });
    } catch (err) {
      failures.push(`request ${num} failed: ${(err as Error).message}`);
      return failures;
    }
    responses.push(res);
    const resNum = Number.parseInt(String(res.headers['server-request-count']), 10);
    if (step.expect === 'cached' && !(res.status === 304 && Number.isNaN(resNum)) && !(resNum < num))
      failures.push(`response ${num} does not come from cache`);
    if (step.expect === 'not_cached' && resNum !== num) failures.push(`response ${num} comes from cache`);
    const wantStatus = step.expectStatus ?? step.status ?? 200;
    if (res.status === 999) failures.push(`request ${num} should have been conditional, but it was not`);
    else if (res.status !== wantStatus)
      failures.push(`response ${num} status is ${res.status}, not ${wantStatus}`);
    for (const spec of step.expectHeaders ?? []) {
      const name = spec[0];
      const got = joined(res.headers[name.toLowerCase()]);
      if (spec.length === 3) {
        if (got === undefined || !(Number.parseInt(got, 10) > spec[2]))
          failures.push(`response ${num} header ${name} is ${got}, should be bigger than ${spec[2]}`);
      } else {
        const want = expectedValue(name, spec[1], res);
        if (got !== want) failures.push(`response ${num} header ${name} is "${got}", not "${want}"`);
      }
    }
    for (const name of step.expectMissing ?? []) {
      const got = res.headers[name.toLowerCase()];
      if (got !== undefined)
        failures.push(`response ${num} includes unexpected header ${name}: "${joined(got)}"`);
    }
    for (const [name, value] of step.expectMissingValues ?? []) {
      const got = joined(res.headers[name.toLowerCase()]);
      if (got?.includes(value)) failures.push(`response ${num} header ${name} still has value "${value}"`);
    }
    if (step.checkBody !== false) {
      if (step.expectText !== undefined) {
        if (res.body !== step.expectText)
          failures.push(`response ${num} body is "${res.body}", not "${step.expectText}"`);
      } else if (step.body !== undefined && step.body !== null) {
        if (res.body !== step.body)
          failures.push(`response ${num} body is "${res.body}", not "${step.body}"`);
      } else if (!NO_BODY.has(res.status) && (step.method ?? 'GET') !== 'HEAD' && step.body !== null) {
        if (res.body !== token) failures.push(`response ${num} body is "${res.body}", not the case token`);
      }
    }
    if (step.pauseMs !== undefined) await sleep(step.pauseMs);
  }

  // What the backend saw, request by request (a cached step is one it must not have seen).
  let seenIdx = 0;
  for (let i = 0; i < c.steps.length; i++) {
    const step = c.steps[i] as Step;
    const num = i + 1;
    if (step.expect === 'cached') continue;
    const seen = reg.seen[seenIdx];
    seenIdx++;
    if (step.expect === 'not_cached' && seen?.requestNum !== num)
      failures.push(`response ${num} comes from cache (${seen?.requestNum} on the backend)`);
    const validator =
      step.expect === 'etag_validated'
        ? 'if-none-match'
        : step.expect === 'lm_validated'
          ? 'if-modified-since'
          : undefined;
    if (validator !== undefined) {
      if (seen === undefined) failures.push(`request ${num} was not sent to the backend`);
      else if (seen.headers[validator] === undefined)
        failures.push(`request ${num} has no ${validator} header`);
    }
    if (step.expectMethod !== undefined && seen?.method !== step.expectMethod)
      failures.push(`request ${num} reached the backend as ${seen?.method}, not ${step.expectMethod}`);
    for (const [name, value] of step.expectRequestHeaders ?? []) {
      const got = joined(seen?.headers[name.toLowerCase()]);
      if (got !== value) failures.push(`request ${num} header ${name} is "${got}", not "${value}"`);
    }
    const response = responses[i];
    if (seen === undefined || response === undefined) continue;
    for (const [name, value] of seen.checked) {
      if (name === 'date') continue;
      const got = joined(response.headers[name]);
      if (got !== value) failures.push(`response ${num} header ${name} is "${got}", not "${value}" as sent`);
    }
  }
  return failures;
}

/**
 * Starts one gateway and backend for a file, runs every case concurrently (so a file waits about as long as its
 * slowest case), and reports each case as a subtest named `<cache-tests id>: <title>`.
 */
export async function runConformance(t: Test, cases: ConformanceCase[]): Promise<void> {
  const backend = new ScriptedBackend();
  // Default settings, as the suite's judge runs them: its origin answers 5xx on purpose, and the only target of a
  // route is never ejected, so those answers reach the cache as they are.
  const setup = await cacheSetup(backend.handler);
  t.teardown(() => setup.stop());
  const running = cases.map((c) => runCase(setup, backend, c));
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i] as ConformanceCase;
    const failures = await (running[i] as Promise<string[]>);
    t.test(`${c.id} [${c.kind}]: ${c.title}`, async (t) => {
      t.same(failures, [], 'the cache behaves as the suite requires');
    });
  }
}

/** The suite's templates (their header lists are extended by the step's): a long-fresh response, a stale one. */
export function fresh(step: Step = {}): Step {
  return {
    ...step,
    responseHeaders: [['Cache-Control', 'max-age=100000'], ['Date', 0], ...(step.responseHeaders ?? [])],
  };
}

export function stale(step: Step = {}): Step {
  return {
    ...step,
    responseHeaders: [
      ['Expires', -5000],
      ['Last-Modified', -100000],
      ['Date', 0],
      ...(step.responseHeaders ?? []),
    ],
  };
}

/** Fresh for 2 s, then stale after the step's pause (the suite's `becomeStale`). */
export function becomeStale(step: Step = {}): Step {
  return {
    pauseMs: 2_100,
    ...step,
    responseHeaders: [
      ['Cache-Control', 'max-age=2'],
      ['Date', 0],
      ['Template-A', '1'],
      ...(step.responseHeaders ?? []),
    ],
  };
}
