import t from 'tap';
import { resolveHttp2Config } from '../../src/config/http2-config.js';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { h2Request, h2Session } from '../helpers/h2-client.js';

const IDLE_MS = 400;

t.test(
  'an HTTP/2 session with no open stream gets GOAWAY after the idle timeout, not one with a stream open',
  async (t) => {
    const backend = await startBackend((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('slow'), IDLE_MS * 3);
      else res.end('portal');
    });
    const gw = await startTestGateway({ config: { http2: resolveHttp2Config({ idleTimeoutMs: IDLE_MS }) } });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const host = 'dinkes.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
    const port = gw.gateway.ports.https;

    const busy = await h2Session(port, host);
    t.teardown(() => busy.destroy());
    t.equal(
      (await h2Request(busy, host, '/slow')).body,
      'slow',
      'a stream open longer than the idle timeout finishes',
    );

    const idle = await h2Session(port, host);
    t.teardown(() => idle.destroy());
    const started = Date.now();
    const goaway = new Promise<number>((resolve) => idle.once('goaway', (code: number) => resolve(code)));
    const closed = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    t.equal((await h2Request(idle, host, '/')).body, 'portal');
    const code = await Promise.race([
      goaway,
      new Promise<string>((r) => setTimeout(() => r('none'), IDLE_MS * 10)),
    ]);
    t.equal(code, 0, 'GOAWAY NO_ERROR');
    await closed;
    const after = Date.now() - started;
    t.ok(after >= IDLE_MS && after < IDLE_MS * 10, `closed ${after} ms after its last stream`);
  },
);
