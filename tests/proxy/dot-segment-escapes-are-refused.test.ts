import { connect } from 'node:net';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';

function raw(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () =>
      socket.end(`GET ${path} HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: close\r\n\r\n`),
    );
    let out = '';
    socket.on('data', (d) => {
      out += d.toString('latin1');
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

t.test('a path cannot climb out of a stripped prefix with dot segments', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    routes: [{ path: '/public', targets: [backend.origin], stripPrefix: true }],
  });
  for (const path of ['/public/../admin', '/public/%2e%2e/admin', '/public/%2E%2E%2Fadmin', '/public/%zz']) {
    t.match(await raw(gw.gateway.ports.http, path), /^HTTP\/1\.1 400 /, path);
  }
  t.equal(backend.seen.length, 0);
});
