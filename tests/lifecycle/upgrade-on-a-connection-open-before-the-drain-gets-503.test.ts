import { connect } from 'node:net';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { upgradeRequestHead } from '../helpers/upgrade-client.js';
import { waitFor } from '../helpers/wait-for.js';

t.test(
  'an upgrade sent on a keep-alive connection after the drain began is a 503 SHUTTING_DOWN, never proxied',
  async (t) => {
    const backend = await startBackend((req, res) => {
      setTimeout(() => res.end('slow but complete'), req.url === '/slow' ? 800 : 0);
    });
    const gw = await startTestGateway();
    t.teardown(() => backend.stop());
    const host = 'dinkes.paserkab.go.id';
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin))).status, 201);

    const socket = connect(gw.gateway.ports.http, '127.0.0.1');
    t.teardown(() => socket.destroy());
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
    });
    socket.write(`GET /slow HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    await waitFor('the backend has the request', () => backend.seen.length === 1, 5_000, 10);
    // The drain begins while that request is in flight: the connection outlives the listener.
    const stopped = gw.stop();
    await waitFor('the slow answer', () => text.includes('slow but complete'), 5_000, 10);
    t.match(text, /^HTTP\/1\.1 200 /);

    const answered = text.length;
    socket.write(upgradeRequestHead(host, '/ws', { Accept: 'application/json' }));
    await waitFor('the upgrade answered', () => text.length > answered && text.endsWith('}'), 5_000, 10);
    const answer = text.slice(answered);
    t.match(answer, /^HTTP\/1\.1 503 /);
    t.match(answer, /\r\nConnection: close\r\n/i);
    t.equal(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code, 'SHUTTING_DOWN');
    t.equal(backend.seen.length, 1, 'the backend never saw the upgrade');
    await stopped;
  },
);
