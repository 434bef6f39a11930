import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import t from 'tap';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

function httpsGet(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { host, authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        rejectUnauthorized: false,
        servername: 'dinkes.paserkab.go.id',
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and returns the status line (absolute-form targets cannot be sent with http.request's Host rules). */
function rawStatus(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.on('data', (c) => {
      data += c.toString();
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.split('\r\n', 1)[0] as string);
      }
    });
    socket.on('error', reject);
  });
}

t.test('the admin API cannot be reached through the public listeners, whatever Host or path', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const { admin, https } = gw.gateway.ports;
  const hosts = [
    `127.0.0.1:${admin}`,
    `localhost:${admin}`,
    '127.0.0.1',
    'localhost',
    'admin.paserkab.go.id',
    `[::1]:${admin}`,
  ];
  const paths = [
    '/v1/hosts',
    '/v1/tokens',
    '/v1/audit',
    '/v1/agencies',
    '/healthz',
    '/metrics',
    '/openapi.json',
    '//v1/hosts',
    '/%2e%2e/v1/hosts',
  ];
  for (const host of hosts) {
    for (const path of paths) {
      const res = await http(`${gw.url}${path}`, {
        host,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      t.ok(res.status === 404 || res.status === 400, `http ${host} ${path} → ${res.status}`);
      t.notMatch(
        res.body,
        /"hosts"|"tokens"|"entries"|"agencies"|gerbang_|openapi|"status":"ok"/,
        'no admin answer',
      );
    }
    const res = await httpsGet(https, '/v1/hosts', host);
    t.ok(res.status === 404 || res.status === 400, `https ${host} /v1/hosts → ${res.status}`);
    t.notMatch(res.body, /"hosts"/);
  }
  const absolute = await rawStatus(
    gw.gateway.ports.http,
    `GET http://127.0.0.1:${admin}/v1/hosts HTTP/1.1\r\nHost: 127.0.0.1:${admin}\r\nAuthorization: Bearer ${TEST_ADMIN_TOKEN}\r\n\r\n`,
  );
  t.match(absolute, /^HTTP\/1\.1 (400|404)/, `absolute-form target → ${absolute}`);
  // The same admin call on the admin listener works: the refusals above are not a broken token.
  t.equal((await gw.admin('GET', '/v1/hosts')).status, 200);
});
