import bcrypt from 'bcryptjs';
import t from 'tap';
import { basicAuthGate } from '../../src/data/policy/basic-auth.js';
import { attackSize, backToBaseline, medianLatencyMs, rssMiB } from '../helpers/attack.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const PROTECTED = 'simpeg.paserkab.go.id';
const OTHER = 'lain.paserkab.go.id';

t.test(
  'a brute force of wrong passwords from one address: another host stays fast, memory and the gate stay bounded',
  async (t) => {
    const attempts = attackSize(60, 500);
    const concurrency = attackSize(30, 50);
    const backend = await startBackend(echoHandler('portal'));
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    // bcrypt at cost 10 (what PHP portals wrote): pure JavaScript, on the event loop, ~70 ms a check.
    const hash = bcrypt.hashSync('sandi yang benar', 10);
    t.equal(
      (
        await gw.admin('PUT', `/v1/hosts/${PROTECTED}`, {
          routes: [{ path: '/', targets: [backend.origin] }],
          access: { basicAuth: { htpasswd: `operator:${hash}\n` } },
        })
      ).status,
      201,
    );
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${OTHER}`, { routes: [{ path: '/', targets: [backend.origin] }] }))
        .status,
      201,
    );
    await medianLatencyMs(gw.url, OTHER); // warm-up: the first requests pay for the JIT
    const baselineMs = await medianLatencyMs(gw.url, OTHER);
    const baselineRss = rssMiB();

    let sent = 0;
    let refused = 0;
    const started = Date.now();
    const worker = async (w: number): Promise<void> => {
      while (sent < attempts && Date.now() - started < 60_000) {
        const i = sent++;
        const auth = `Basic ${Buffer.from(`operator:tebakan-${w}-${i}`).toString('base64')}`;
        const res = await http(`${gw.url}/`, {
          host: PROTECTED,
          headers: { authorization: auth },
          timeoutMs: 15_000,
        });
        if (res.status === 401) refused++;
      }
    };
    const flood = Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
    // Another citizen's requests while the flood runs, once it is under way.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const duringMs = await medianLatencyMs(gw.url, OTHER);
    await flood;
    t.equal(refused, attempts, `all ${attempts} wrong passwords refused`);
    t.ok(
      duringMs <= baselineMs + 25,
      `another host during the flood: ${duringMs.toFixed(1)} ms (baseline ${baselineMs.toFixed(1)})`,
    );
    await backToBaseline(
      t,
      'another host’s median latency (ms)',
      () => medianLatencyMs(gw.url, OTHER),
      baselineMs,
      5,
    );
    await backToBaseline(t, 'RSS (MiB)', rssMiB, baselineRss, 64);
    const sizes = basicAuthGate.sizes();
    t.ok(sizes.addresses <= 2 && sizes.queued === 0, `the gate holds ${JSON.stringify(sizes)}`);
    t.equal(
      backend.seen.filter((r) => r.headers.host?.startsWith(PROTECTED)).length,
      0,
      'the backend saw none of it',
    );
    // The right password still works once the address's penalty is over.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const auth = `Basic ${Buffer.from('operator:sandi yang benar').toString('base64')}`;
    t.equal((await http(`${gw.url}/`, { host: PROTECTED, headers: { authorization: auth } })).status, 200);
  },
);
