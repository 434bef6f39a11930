import { type ClientHttp2Session, connect } from 'node:http2';
import t from 'tap';
import { attackSize } from '../helpers/attack.js';
import { HOST, stalledPages } from './stalled-compressed-pages-kit.js';

const SESSIONS = attackSize(2, 10);
const STREAMS = attackSize(4, 10);

t.test(
  'h2 streams asking br, gzip for big pages whose window never opens stall the backend, and free everything when the client goes',
  async (t) => {
    const pages = await stalledPages(t);
    const port = pages.gw.gateway.ports.https;
    const sessions: ClientHttp2Session[] = [];
    t.teardown(() => {
      for (const s of sessions) s.destroy();
    });
    for (let s = 0; s < SESSIONS; s++) {
      // A window of 0: the gateway may not send one byte of DATA on any stream.
      const session = connect(`https://127.0.0.1:${port}`, {
        servername: HOST,
        ALPNProtocols: ['h2'],
        rejectUnauthorized: false,
        settings: { initialWindowSize: 0 },
      });
      session.on('error', () => undefined);
      for (let i = 0; i < STREAMS; i++) {
        const stream = session.request({
          ':path': `/laporan-${s}-${i}.html`,
          ':authority': HOST,
          'accept-encoding': 'br, gzip',
        });
        stream.on('error', () => undefined);
        stream.end();
      }
      sessions.push(session);
    }
    // Nothing goes to the client: only the backend socket's buffers and the high-water marks fill.
    await pages.stalled(t, SESSIONS * STREAMS, { pulledMiB: 6, heldMiB: 1.5, slackMiB: 8 });
    for (const s of sessions) s.destroy();
    await pages.released(t);
  },
);
