import t from 'tap';
import { attackSize, backToBaseline, heapAfterGcMiB, medianLatencyMs, openFds } from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from '../konsol/konsol-client.js';

const HOST = 'dinkes.paserkab.go.id';
const OTHER = 'disdik.paserkab.go.id';

/** YAML's "billion laughs": each level names the one before it nine times. */
function aliasBomb(levels: number): string {
  const lines = ['- &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `- &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

t.test(
  'huge, deeply nested and alias-bomb host forms are refused; the host, fds, heap and others stay as they were',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await seedUsers(gw);
    for (const [host, agency] of [
      [HOST, 'dinkes'],
      [OTHER, 'disdik'],
    ] as const) {
      t.equal(
        (await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost(backend.origin), agency })).status,
        201,
      );
    }
    const stored = async () => (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as { updatedAt: string };
    const before = await stored();
    const browser = new KonsolClient(gw.adminUrl);
    t.teardown(() => browser.close());
    t.equal((await browser.login('budi', MEMBER_PASSWORD)).status, 303);
    t.equal((await browser.get(`/konsol/hosts/${HOST}/edit`)).status, 200);
    const edit = `/konsol/hosts/${HOST}/edit`;
    const form = (routes: string) => ({ routes, updatedAt: before.updatedAt });

    await medianLatencyMs(gw.url, OTHER, '/', 5);
    const latencyBefore = await medianLatencyMs(gw.url, OTHER);
    const fdsBefore = openFds();
    const heapBefore = heapAfterGcMiB();

    const depth = attackSize(5_000, 40_000);
    const attacks: Array<[string, string, number]> = [
      ['a body over the API limit', 'a'.repeat(300 * 1024), 413],
      ['flow sequences nested deep', `${'['.repeat(depth)}${']'.repeat(depth)}`, 400],
      ['block sequences nested deep', `${'- '.repeat(depth)}x\n`, 400],
      ['JSON objects nested deep', `${'{"a":'.repeat(depth / 5)}1${'}'.repeat(depth / 5)}`, 400],
      ['an alias bomb', aliasBomb(10), 400],
    ];
    const rounds = attackSize(2, 10);
    const deadline = Date.now() + 60_000;
    for (let round = 0; round < rounds && Date.now() < deadline; round++) {
      for (const [what, routes, status] of attacks) {
        const res = await browser.post(edit, form(routes));
        if (round === 0) {
          t.equal(res.status, status, `${what}: ${status}`);
          if (status === 400)
            t.match(
              res.text,
              /id="e-routes"[^>]*>VALIDATION_FAILED: \/routes: /,
              `${what}: named on the routes field`,
            );
        } else if (res.status !== status) t.fail(`${what}, round ${round}: ${res.status}`);
      }
    }
    t.same(await stored(), before, 'the stored host is untouched');
    t.equal((await browser.get('/konsol/')).status, 200, 'the session still works');

    await backToBaseline(t, 'open fds', openFds, fdsBefore, 10);
    await backToBaseline(t, 'heap after GC (MiB)', heapAfterGcMiB, heapBefore, 30);
    // A busy shared machine makes one sample noisy: polled back, as fds and heap are.
    await backToBaseline(
      t,
      "another host's median latency (ms)",
      () => medianLatencyMs(gw.url, OTHER, '/', 9),
      latencyBefore,
      latencyBefore * 2 + 20,
    );
  },
);
