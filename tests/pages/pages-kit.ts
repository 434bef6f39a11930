/** One host whose routes end in every branded page (403, 404, 429, 502, 503, 504, maintenance), for the page tests. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Test } from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type HttpResponse, http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

export const PAGES_HOST = 'layanan-uji.paserkab.go.id';

export type PageName = '403' | '404' | '429' | '502' | '503' | '504' | 'maintenance';

export interface BrandedPages {
  gw: TestGateway;
  /** The branded page of `name`, asked with these request fields. */
  page(name: PageName, headers?: Record<string, string>): Promise<HttpResponse>;
}

const PATHS: Record<Exclude<PageName, '429' | 'maintenance'>, string> = {
  '403': '/tertutup',
  '404': '/tidak-ada',
  '502': '/mati',
  '503': '/sakit',
  '504': '/lambat',
};

/** Registers the host with `extra` (app, errorPages) and waits until its failing health check has ejected `/sakit`. */
export async function brandedPages(t: Test, extra: Record<string, unknown>): Promise<BrandedPages> {
  const held: ServerResponse[] = [];
  const backend = await startBackend((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/lambat') || req.url?.startsWith('/sibuk')) held.push(res);
    else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    }
  });
  // Health is kept by target address: the failing check has a backend of its own.
  const sick = await startBackend((_req, res) => {
    res.writeHead(500, { 'content-length': 0 });
    res.end();
  });
  const dead = await startBackend();
  const deadOrigin = dead.origin;
  await dead.stop();
  const gw = await startTestGateway({ limits: { maxBackendRequestsPerClient: 1 } });
  t.teardown(async () => {
    for (const res of held) res.destroy();
    await gw.stop();
    await backend.stop();
    await sick.stop();
  });
  const o = backend.origin;
  const routes = [
    { path: '/ok', targets: [o] },
    { path: '/tertutup', targets: [o], access: { deny: ['127.0.0.0/8', '::1'] } },
    { path: '/mati', targets: [deadOrigin] },
    { path: '/lambat', targets: [o], timeouts: { response: 300 }, cache: { enabled: false } },
    { path: '/sibuk', targets: [o], cache: { enabled: false } },
    {
      path: '/sakit',
      targets: [sick.origin],
      healthCheck: { path: '/healthz', intervalMs: 200, timeoutMs: 150, unhealthyThreshold: 1 },
    },
  ];
  const put = (more: Record<string, unknown> = {}) =>
    gw.admin('PUT', `/v1/hosts/${PAGES_HOST}`, { routes, ...extra, ...more });
  const first = await put();
  if (first.status !== 201) throw new Error(`host: ${JSON.stringify(first.body)}`);
  await waitFor(
    '/sakit ejected',
    async () => (await http(`${gw.url}/sakit`, { host: PAGES_HOST })).status === 503,
    10_000,
  );
  return {
    gw,
    async page(name, headers = {}) {
      const ask = (path: string) => http(`${gw.url}${path}`, { host: PAGES_HOST, headers });
      if (name === 'maintenance') {
        await put({ maintenance: { enabled: true } });
        try {
          return await ask('/ok');
        } finally {
          await put();
        }
      }
      if (name === '429') {
        // One request of this address is held by the backend: the next one to it is over the share.
        const holding = ask('/sibuk/1').catch(() => undefined);
        await waitFor('the first request held', async () => held.length > 0, 5_000);
        const res = await ask('/sibuk/2');
        for (const r of held.splice(0)) r.end();
        await holding;
        return res;
      }
      return ask(PATHS[name]);
    },
  };
}
