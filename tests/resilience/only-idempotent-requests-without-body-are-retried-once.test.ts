import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { metricValue } from '../helpers/wait-for.js';

t.test(
  'refused or reset before any response: idempotent requests without body go once to another target, others fail',
  async (t) => {
    const b = await startBackend(echoHandler('b'));
    // Reads the request, then drops the connection without a byte of response.
    const resetter = () => startBackend((req) => req.socket.destroy());
    const r1 = await resetter();
    const r2 = await resetter();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([b.stop(), r1.stop(), r2.stop()]);
    });
    const dead1 = `http://127.0.0.1:${await freePort()}`;
    const dead2 = `http://127.0.0.1:${await freePort()}`;
    // Each case gets its own failing target, first in the rotation, with no history.
    const hosts: Record<string, string> = {
      'refused-post.paserkab.go.id': dead1,
      'refused-get.paserkab.go.id': dead2,
      'reset-get.paserkab.go.id': r1.origin,
      'reset-put.paserkab.go.id': r2.origin,
    };
    for (const [host, first] of Object.entries(hosts)) {
      await gw.admin('PUT', `/v1/hosts/${host}`, {
        routes: [{ path: '/', targets: [first, b.origin], cache: { enabled: false } }],
      });
    }
    const bSaw = (method: string) => b.seen.filter((r) => r.method === method).length;

    const post = await http(`${gw.url}/form`, {
      host: 'refused-post.paserkab.go.id',
      method: 'POST',
      body: 'nama=x',
    });
    t.equal(post.status, 502, 'a POST is never retried, even when refused');
    t.equal(bSaw('POST'), 0);

    const get = await http(`${gw.url}/halaman`, { host: 'refused-get.paserkab.go.id' });
    t.equal(get.status, 200, 'a refused GET is answered by the other target');
    t.equal(JSON.parse(get.body).backend, 'b');

    const reset = await http(`${gw.url}/halaman`, { host: 'reset-get.paserkab.go.id' });
    t.equal(reset.status, 200, 'a GET reset before any response byte is answered by the other target');
    t.equal(r1.seen.length, 1, 'the resetting target was tried once');

    const put = await http(`${gw.url}/berkas`, {
      host: 'reset-put.paserkab.go.id',
      method: 'PUT',
      body: 'isi berkas',
    });
    t.equal(put.status, 502, 'a PUT whose body was sent is not retried');
    t.equal(bSaw('PUT'), 0);
    t.equal(r2.seen.length, 1);

    t.equal(await metricValue(gw.adminUrl, 'gerbang_upstream_retries_total'), 2, 'two retries counted');
    t.equal(
      await metricValue(gw.adminUrl, 'gerbang_upstream_retries_total', {
        host: 'refused-get.paserkab.go.id',
        reason: 'refused',
      }),
      1,
    );
    t.equal(
      await metricValue(gw.adminUrl, 'gerbang_upstream_retries_total', {
        host: 'reset-get.paserkab.go.id',
        reason: 'reset',
      }),
      1,
    );
  },
);
