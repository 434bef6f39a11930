import type { Socket } from 'node:net';
import t from 'tap';
import { trackConnections } from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { waitFor } from '../helpers/wait-for.js';

t.test(
  'a portal that never answers, or stalls mid-body, is cut at the probe timeout and its connection closed',
  async (t) => {
    const held: Socket[] = [];
    const stall = await startBackend((req, res) => {
      held.push(req.socket);
      if (req.url === '/body') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><head>'); // and never the rest
      }
    });
    const connections = trackConnections(stall.server);
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await stall.stop();
    });
    for (const path of ['/', '/body']) {
      const started = performance.now();
      const res = await gw.admin('POST', '/v1/onboard', { url: `${stall.origin}${path}`, timeoutMs: 800 });
      const took = performance.now() - started;
      t.equal(res.status, 200);
      const probe = (res.body as { probe: { reachable: boolean; error: string } }).probe;
      t.match(probe.error, /no complete answer within 800 ms/, path);
      t.ok(took < 3000, `${path} answered after ${Math.round(took)} ms`);
      await waitFor(`the probe's connection to ${path} closed`, () => connections.open() === 0, 5000);
    }
    t.ok(held.length === 2);
  },
);
