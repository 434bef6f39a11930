/** A Konsol browser stand-in for tests: a cookie jar, same-origin form posts with the page's CSRF token, a chosen source address. */
import type { Test } from 'tap';
import { Agent, fetch as undiciFetch } from 'undici';
import type { TestGateway } from '../helpers/gateway.js';

export interface KonsolResponse {
  status: number;
  headers: Headers;
  text: string;
}

export const ADMIN_PASSWORD = 'admin-password-0123';
export const MEMBER_PASSWORD = 'member-password-0123';

export class KonsolClient {
  readonly cookies = new Map<string, string>();
  private readonly dispatcher: Agent;
  /** The CSRF token of the last page read (the hidden `csrf` field). */
  csrf: string | undefined;

  constructor(
    readonly baseUrl: string,
    localAddress = '127.0.0.1',
  ) {
    this.dispatcher = new Agent({ localAddress });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  async request(
    method: string,
    path: string,
    options: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<KonsolResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) headers.cookie = cookie;
    if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await undiciFetch(this.baseUrl + path, {
      method,
      headers,
      body: options.form ? new URLSearchParams(options.form).toString() : undefined,
      redirect: 'manual',
      dispatcher: this.dispatcher,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token = /name="csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token !== undefined) this.csrf = token;
    return { status: res.status, headers: res.headers as unknown as Headers, text };
  }

  get(path: string): Promise<KonsolResponse> {
    return this.request('GET', path);
  }

  /** A form post as a Konsol page makes it: same Origin, the page's CSRF token. */
  post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<KonsolResponse> {
    return this.request('POST', path, {
      form: { csrf: this.csrf ?? '', ...form },
      headers: { origin: this.baseUrl, 'sec-fetch-site': 'same-origin', ...headers },
    });
  }

  async login(login: string, password: string): Promise<KonsolResponse> {
    await this.get('/konsol/login');
    return this.post('/konsol/login', { login, password });
  }
}

/** An agency `dinkes` owning dinkes.paserkab.go.id, and its member `budi`; an admin `admin`. Returns their ids. */
export async function seedUsers(gw: TestGateway): Promise<{ adminId: string; memberId: string }> {
  for (const [id, host] of [
    ['dinkes', 'dinkes.paserkab.go.id'],
    ['disdik', 'disdik.paserkab.go.id'],
  ] as const) {
    const agency = await gw.admin('PUT', `/v1/agencies/${id}`, {
      name: id,
      contact: 'it@paserkab.go.id',
      owns: [host],
    });
    if (agency.status >= 300) throw new Error(`agency ${id}: ${JSON.stringify(agency.body)}`);
  }
  const admin = await gw.admin('POST', '/v1/users', {
    name: 'Admin DKISP',
    login: 'admin',
    role: 'admin',
    password: ADMIN_PASSWORD,
  });
  const member = await gw.admin('POST', '/v1/users', {
    name: 'Budi Santoso',
    login: 'budi',
    role: 'agency:dinkes',
    password: MEMBER_PASSWORD,
  });
  if (admin.status !== 201 || member.status !== 201) {
    throw new Error(`users: ${JSON.stringify([admin.body, member.body])}`);
  }
  return { adminId: (admin.body as { id: string }).id, memberId: (member.body as { id: string }).id };
}

/** The ways a forged or cross-site form post arrives: what it adds to the form, and the headers it is sent with. */
export const FORGERIES: ReadonlyArray<readonly [string, Record<string, string>, Record<string, string>]> = [
  ['no CSRF token', { csrf: '' }, {}],
  ['another token', { csrf: 'x'.repeat(32) }, {}],
  ['a foreign Origin', {}, { origin: 'http://evil.example' }],
  ['Sec-Fetch-Site cross-site', {}, { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site same-site', {}, { 'sec-fetch-site': 'same-site', origin: 'http://a.paserkab.go.id' }],
];

/**
 * Posts `form` to `path` as each forgery: every one must be a 403 CSRF_REFUSED. With `csrf` (the page's real
 * token) it is also posted with neither Origin nor Sec-Fetch-Site, which must be refused as well.
 */
export async function assertForgeriesRefused(
  t: Test,
  browser: KonsolClient,
  path: string,
  form: Record<string, string>,
  csrf?: string,
): Promise<void> {
  for (const [what, extra, headers] of FORGERIES) {
    const res = await browser.post(path, { ...form, ...extra }, headers);
    t.equal(res.status, 403, `${path}, ${what}: 403`);
    t.match(res.text, /CSRF_REFUSED/, `${path}, ${what}: CSRF_REFUSED`);
  }
  if (csrf === undefined) return;
  const bare = await browser.request('POST', path, { form: { ...form, csrf } });
  t.equal(bare.status, 403, `${path}, neither Origin nor Sec-Fetch-Site: 403`);
}

/** A client signed in through the login form (the 303 checked), closed at teardown. */
export async function signedInClient(
  t: Test,
  gw: TestGateway,
  login: string,
  password: string,
): Promise<KonsolClient> {
  const client = new KonsolClient(gw.adminUrl);
  t.teardown(() => client.close());
  t.equal((await client.login(login, password)).status, 303, `${login} signs in`);
  return client;
}
