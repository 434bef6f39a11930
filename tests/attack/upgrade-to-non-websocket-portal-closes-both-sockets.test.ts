import { createServer } from 'node:net';
import t from 'tap';
import { attackSize, backToBaseline, openFds, trackConnections } from '../helpers/attack.js';
import { type Handler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { type UpgradeExchange, upgradeExchange } from '../helpers/upgrade-client.js';

const UPGRADES = attackSize(24, 2_000);
/**
 * Clients that never close stay open in this process while the gateway lingers (up to 2 s) on its side: more at once
 * than the per-address connection cap (256) would be refused by the cap, not by this fix.
 */
const HALF_OPEN_UPGRADES = attackSize(24, 200);
const AT_ONCE = 100;
const HOST = 'portal.paserkab.go.id';

/** A port nothing listens on: bound once, then closed. */
async function deadOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * N upgrades, AT_ONCE at a time, each sending one more byte as soon as the answer begins (so it reaches the
 * gateway after it took the upgrade); every exchange is kept.
 */
async function attack(port: number, count: number, halfOpen: boolean): Promise<UpgradeExchange[]> {
  const all: UpgradeExchange[] = [];
  for (let done = 0; done < count; done += AT_ONCE) {
    const batch = Array.from({ length: Math.min(AT_ONCE, count - done) }, () =>
      upgradeExchange(port, HOST, { onAnswer: 'x', halfOpen, waitCloseMs: 3_000 }),
    );
    for (const exchange of await Promise.all(batch)) {
      all.push(exchange);
      // A client that never closes keeps its socket open: the gateway must close its own side anyway.
      if (!halfOpen) exchange.socket.destroy();
    }
  }
  return all;
}

const paths: Array<{ name: string; status: number; handler?: Handler; down?: boolean; halfOpen?: boolean }> =
  [
    {
      name: 'the portal answers the upgrade as a normal request',
      status: 200,
      handler: (_req, res) => res.end('an ordinary page'),
    },
    {
      name: 'the portal declines with 400',
      status: 400,
      handler: (_req, res) => {
        res.statusCode = 400;
        res.end('no websocket here');
      },
    },
    { name: 'the portal is down', status: 502, down: true },
    {
      name: 'the portal answers normally and the client never closes its side',
      status: 200,
      handler: (_req, res) => res.end('an ordinary page'),
      halfOpen: true,
    },
  ];

for (const path of paths) {
  t.test(`${path.name}: both sockets end and fds return to baseline`, async (t) => {
    const backend = await startBackend(path.handler);
    const upstream = trackConnections(backend.server);
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const origin = path.down ? await deadOrigin() : backend.origin;
    t.equal((await gw.admin('PUT', `/v1/hosts/${HOST}`, simpleHost(origin))).status, 201);
    const port = gw.gateway.ports.http;

    // Warm up (pools, lazily opened files), then measure.
    (await upgradeExchange(port, HOST, { waitCloseMs: 3_000 })).socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const fdsBefore = openFds();

    const count = path.halfOpen ? HALF_OPEN_UPGRADES : UPGRADES;
    const exchanges = await attack(port, count, path.halfOpen === true);
    t.ok(
      exchanges.every((e) => e.status === path.status),
      `every upgrade got ${path.status} (first: ${exchanges[0]?.status})`,
    );
    const left = exchanges.filter((e) => !e.closedByServer).length;
    t.equal(left, 0, `the gateway closed every client socket after its answer (${left} left open)`);
    if (path.halfOpen) {
      // Only the clients' own sockets are left open in this process, none of the gateway's.
      await backToBaseline(t, 'open fds, clients still open', openFds, fdsBefore + count, 4, 8_000);
      for (const e of exchanges) e.socket.destroy();
    }
    await backToBaseline(t, 'open fds', openFds, fdsBefore, 4, 5_000);
    await backToBaseline(t, 'backend connections', upstream.open, 0, 0, 5_000);
    // Nothing is left for the drain to wait for: the stop is prompt.
    const stopped = Date.now();
    await gw.gateway.stop();
    t.ok(Date.now() - stopped < 3_000, `stopped in ${Date.now() - stopped} ms`);
  });
}
