import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

const CAP = 2;
const THROUGH_PROXY = 8;

t.test(
  'connections from a trusted proxy (many clients behind one address) are not capped per address',
  async (t) => {
    const gw = await startTestGateway({
      config: { trustedProxies: ['127.0.0.1'] },
      limits: { maxConnectionsPerAddress: CAP },
    });
    t.teardown(() => gw.stop());
    const port = gw.gateway.ports.http;
    const sockets: Socket[] = [];
    t.teardown(() => {
      for (const s of sockets) s.destroy();
    });
    for (let i = 0; i < THROUGH_PROXY; i++) {
      const s = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
      s.on('error', () => undefined);
      sockets.push(s);
      await once(s, 'connect');
    }
    // Another address is still capped.
    const capped = Array.from({ length: CAP + 1 }, () => {
      const s = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
      s.on('error', () => undefined);
      sockets.push(s);
      return s;
    });
    await Promise.all(capped.map((s) => once(s, 'connect')));
    await new Promise((r) => setTimeout(r, 300));
    t.equal(
      sockets.slice(0, THROUGH_PROXY).filter((s) => s.closed).length,
      0,
      `all ${THROUGH_PROXY} proxy connections stay open`,
    );
    t.equal(capped.filter((s) => s.closed).length, 1, `an untrusted address still gets only ${CAP}`);
  },
);
