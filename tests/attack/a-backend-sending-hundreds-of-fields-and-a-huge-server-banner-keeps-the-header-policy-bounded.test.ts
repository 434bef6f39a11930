import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import { DEFAULT_RESPONSE_PLAN } from '../../src/data/policy/header-plan.js';
import { applyResponseHeaders, policyHead } from '../../src/data/policy/response-headers.js';
import { attackSize, backToBaseline, medianLatencyMs, openFds, rssMiB } from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOSTILE = 'portal-lama.paserkab.go.id';
const QUIET = 'dinsos.paserkab.go.id';
const FIELDS = 500;
/** What fits beside 500 fields in the backend connection's 16 KiB head. */
const BANNER = 8_000;

/** The heap in use after a full collection (MiB): RSS keeps what V8 once took, the heap says whether anything is still held. */
function heapAfterGcMiB(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function hostileFields(path: string): Record<string, string> {
  const fields: Record<string, string> = {
    'content-type': 'text/html',
    'cache-control': path.startsWith('/simpan') ? 'max-age=600' : 'no-store',
    server: path.includes('versi') ? `Apache/${'9.'.repeat(BANNER / 2)}` : 'A'.repeat(BANNER),
    'x-powered-by': 'PHP/5.2.17',
  };
  for (let i = 0; i < FIELDS; i++) fields[`x-f${i}`] = String(i);
  return fields;
}

t.test(
  '500 fields and an 8 KB Server banner: answered, banner handled in bounded time, nothing kept',
  async (t) => {
    const { gw, put } = await proxiedHost(t, HOSTILE, (req, res) => {
      res.writeHead(200, hostileFields(req.url ?? '/'));
      res.end('ok');
    });
    t.equal(put.status, 201);
    const quiet = await startBackend();
    t.teardown(() => quiet.stop());
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${QUIET}`, { routes: [{ path: '/', targets: [quiet.origin] }] }))
        .status,
      201,
    );
    const latency = await medianLatencyMs(gw.url, QUIET);
    const fds = openFds();
    const rss = rssMiB();
    const heap = heapAfterGcMiB();

    const rounds = attackSize(15, 1_000);
    const paths = ['/lewat', '/lewat/versi', '/simpan', '/simpan/versi'];
    const deadline = Date.now() + 60_000;
    for (let i = 0; i < rounds && Date.now() < deadline; i++) {
      await Promise.all(
        paths.map(async (path) => {
          const res = await http(`${gw.url}${path}`, { host: HOSTILE, timeoutMs: 10_000 });
          if (i > 0) return;
          t.equal(res.status, 200, `${path}: answered`);
          t.equal(
            res.headers.server,
            path.includes('versi') ? 'Apache' : undefined,
            `${path}: Server stripped`,
          );
          t.equal(res.headers['x-powered-by'], undefined, `${path}: banner removed`);
          t.equal(res.headers[`x-f${FIELDS - 1}`], String(FIELDS - 1), `${path}: the other fields pass`);
        }),
      );
    }
    const hit = await http(`${gw.url}/simpan/versi`, { host: HOSTILE });
    t.match(hit.headers['cache-status'], /hit/, 'the stored page is served under the policy');
    t.equal(hit.headers.server, 'Apache');

    // The policy itself, on a megabyte of banner: reads the product name only, whatever the length.
    const huge = `Apache/${'9'.repeat(1024 * 1024)}`;
    const head: string[] = [];
    for (const [name, value] of Object.entries(hostileFields('/'))) head.push(name, value);
    head.push('server', huge);
    const started = performance.now();
    const calls = attackSize(200, 1_000);
    for (let i = 0; i < calls; i++) {
      policyHead(DEFAULT_RESPONSE_PLAN, head);
      applyResponseHeaders(DEFAULT_RESPONSE_PLAN, { ...hostileFields('/'), server: huge });
    }
    const perCallMs = (performance.now() - started) / calls;
    t.ok(perCallMs < 5, `policy on 500 fields and a 1 MB Server: ${perCallMs.toFixed(3)} ms per response`);

    await backToBaseline(t, 'open fds', openFds, fds, 10);
    await backToBaseline(
      t,
      `${QUIET} median latency (ms)`,
      () => medianLatencyMs(gw.url, QUIET),
      latency,
      20,
    );
    t.comment(`RSS ${rssMiB().toFixed(0)} MiB (before ${rss.toFixed(0)} MiB)`);
    await backToBaseline(t, 'heap after GC (MiB)', heapAfterGcMiB, heap, 30);
  },
);
