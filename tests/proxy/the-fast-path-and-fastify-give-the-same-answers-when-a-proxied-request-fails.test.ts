import { connect } from 'node:net';
import t from 'tap';
import { hashPassword } from '../../src/control/users/password.js';
import { freePort } from '../helpers/free-port.js';
import { type RecordingBackend, recordingBackend, type Sent, sameAnswer, startPair } from './parity-kit.js';

const HOST = 'portal.paserkab.go.id';

/** Sends `text`, and leaves (a reset) after `ms`; returns what came back by then. */
function leaveEarly(port: number, text: string, ms = 100): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
    });
    socket.on('error', reject);
    setTimeout(() => {
      socket.resetAndDestroy();
      resolve(out);
    }, ms);
  });
}
const DEAD = 'mati.paserkab.go.id';
const RETRY = 'coba.paserkab.go.id';
const LOCKED = 'kunci.paserkab.go.id';
const WATCHED = 'awas.paserkab.go.id';

t.test(
  'a refused, failed, slow or odd proxied request gets the same answer, log and metrics through the proxied front as through fastify',
  async (t) => {
    const backend: RecordingBackend = await recordingBackend((req, res) => {
      const url = req.url ?? '/';
      if (url === '/aneh') {
        res.writeHead(799, { 'content-type': 'text/plain' });
        res.end('odd');
        return;
      }
      if (url === '/putus') {
        // Head and part of the body, then the connection is cut.
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
        res.write('half');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (url === '/gagal') {
        res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '7' });
        res.end('backend says no');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`ok ${req.method} ${url}`);
    });
    // Its own backend: the timeouts take it out of rotation for a while.
    const slow: RecordingBackend = await recordingBackend((_req, res) => {
      const timer = setTimeout(() => res.end('too late'), 5000);
      res.on('close', () => clearTimeout(timer));
    });
    t.teardown(() => Promise.all([backend.stop(), slow.stop()]));
    const dead = `http://127.0.0.1:${await freePort()}`;
    const refusing = `http://127.0.0.1:${await freePort()}`;
    const pair = await startPair(t);
    const off = { enabled: false };
    await pair.host(HOST, {
      cache: off,
      routes: [
        { path: '/', targets: [backend.origin] },
        { path: '/public', targets: [backend.origin], stripPrefix: true },
        { path: '/lambat', targets: [slow.origin], timeouts: { response: 300 } },
      ],
    });
    await pair.host(DEAD, { cache: off, routes: [{ path: '/', targets: [dead] }] });
    // Round robin starts on the first target: the first request is refused there and goes once more to the second.
    await pair.host(RETRY, { cache: off, routes: [{ path: '/', targets: [refusing, backend.origin] }] });
    await pair.host(LOCKED, {
      cache: off,
      access: { basicAuth: { users: [{ name: 'operator', hash: await hashPassword('rahasia paser') }] } },
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    await pair.host(WATCHED, {
      cache: off,
      probeFilter: { mode: 'detect' },
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    const on = [backend, slow];
    const row = (
      name: string,
      sent: Sent,
      fast: boolean,
      status?: number,
      runs?: number,
      accessLines?: number,
    ) =>
      sameAnswer(t, pair, name, sent, on, {
        fast,
        ...(status === undefined ? {} : { status }),
        ...(runs === undefined ? {} : { runs }),
        ...(accessLines === undefined ? {} : { accessLines }),
      });
    const id = (n: string) => ({ 'x-request-id': `parity-${n}-0001` });

    // The routing front refuses a dot-segment escape (AMBIGUOUS_PATH) before a route is chosen: fastify answers.
    for (const [i, path] of ['/public/../admin', '/public/%2e%2e/admin', '/public/%2E%2E%2Fadmin'].entries())
      await row(`the dot-segment escape ${path}`, { host: HOST, path, headers: id(`dot${i}`) }, false, 400);
    // fastify's router refuses an undecodable path before the handler; the routing front names it first.
    await row('an undecodable path', { host: HOST, path: '/public/%zz', headers: id('zz') }, false, 400, 0);
    await row('a dead backend (HTML)', { host: DEAD, path: '/', headers: id('dead-html') }, true, 502);
    await row(
      'a dead backend (English)',
      { host: DEAD, path: '/', headers: { ...id('dead-en'), 'accept-language': 'en' } },
      true,
      502,
    );
    await row(
      'a dead backend (JSON)',
      { host: DEAD, path: '/', headers: { ...id('dead-json'), accept: 'application/json' } },
      true,
      502,
    );
    await row(
      'a dead backend, HEAD',
      { host: DEAD, path: '/', method: 'HEAD', headers: id('dead-head') },
      true,
      502,
    );
    await row('a dead backend, generated id', { host: DEAD, path: '/tanpa-id' }, true, 502);
    await row('a slow backend', { host: HOST, path: '/lambat/laporan', headers: id('slow') }, true, 504);
    await row(
      'a slow backend (JSON)',
      { host: HOST, path: '/lambat/laporan', headers: { ...id('slow-json'), accept: 'application/json' } },
      true,
      504,
    );
    await row('a status outside 100-599', { host: HOST, path: '/aneh', headers: id('odd') }, true, 502);
    await row('the next request after it', { host: HOST, path: '/', headers: id('after-odd') }, true, 200);
    await row("a backend's own 503", { host: HOST, path: '/gagal', headers: id('own503') }, true, 503);
    // Logged with the status it began with and RESPONSE_INCOMPLETE, on both paths.
    await row(
      'a body cut short by the backend',
      { host: HOST, path: '/putus', headers: id('cut') },
      true,
      200,
    );
    await row(
      'a refused request retried on the second target',
      { host: RETRY, path: '/', headers: id('retry') },
      true,
      200,
    );
    await row(
      'the next request skips the refusing target',
      { host: RETRY, path: '/', headers: id('retry2') },
      true,
      200,
    );
    await row(
      'basic auth without credentials',
      { host: LOCKED, path: '/', headers: id('auth0') },
      false,
      401,
    );
    const basic = `Basic ${Buffer.from('operator:rahasia paser').toString('base64')}`;
    await row(
      'basic auth, credentials verified',
      { host: LOCKED, path: '/', headers: { ...id('auth1'), authorization: basic } },
      false,
      200,
    );
    // Remembered credentials: the routing front passes the request on as routed, the proxied front may take it.
    await row(
      'basic auth, credentials remembered',
      { host: LOCKED, path: '/lagi', headers: { ...id('auth2'), authorization: basic } },
      true,
      200,
    );
    await row(
      'a probe in detect mode is proxied',
      { host: WATCHED, path: '/.env', headers: id('probe') },
      true,
    );
    await row(
      'an unknown host',
      { host: 'tidak-ada.paserkab.go.id', path: '/', headers: id('unknown') },
      false,
      404,
    );
    await row('an empty Host', { host: HOST, path: '/', headers: { ...id('no-host'), host: '' } }, false);

    // A client that leaves before the backend answers: nothing logged or counted differently, nothing left in flight.
    for (const gw of [pair.fast, pair.full]) {
      const left = await leaveEarly(
        gw.gateway.ports.http,
        `GET /lambat/pergi HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`,
      );
      t.equal(left, '', 'the client left before any answer');
    }
    await new Promise((r) => setTimeout(r, 500));

    const metrics = await pair.metrics();
    t.same(metrics.fast, metrics.full, 'the same request, retry and upstream error metrics on both gateways');
    t.ok(
      metrics.fast.some((m) => m.startsWith('gerbang_upstream_retries_total') && !m.endsWith(' 0')),
      'a retry was counted',
    );
  },
);

t.test(
  'a client over its cap of requests in flight to one backend gets the same answer through the proxied front as through fastify',
  async (t) => {
    const slow: RecordingBackend = await recordingBackend((_req, res) => {
      const timer = setTimeout(() => res.end('late'), 3000);
      res.on('close', () => clearTimeout(timer));
    });
    t.teardown(() => slow.stop());
    const pair = await startPair(t, { maxBackendRequestsPerClient: 1 });
    await pair.host(HOST, { cache: { enabled: false }, routes: [{ path: '/', targets: [slow.origin] }] });
    const sent: Sent = { host: HOST, path: '/lagi', headers: { 'x-request-id': 'parity-cap-0001' } };
    const over = async (which: 'fast' | 'full') => {
      const gw = which === 'fast' ? pair.fast : pair.full;
      // The gateway's first request holds the one slot while the row's request comes.
      const held = leaveEarly(gw.gateway.ports.http, `GET /tahan HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`, 1000);
      await new Promise((r) => setTimeout(r, 200));
      const outcome = await pair.one(which, sent, [slow], 1);
      await held;
      return outcome;
    };
    const fast = await over('fast');
    const full = await over('full');
    t.equal(fast.answer.status, 429, 'over the cap: 429');
    t.same(fast.answer, full.answer, 'the same answer');
    t.same(fast.access, full.access, 'the same access line');
    t.same(fast.backend, full.backend, 'the backend saw the same');
    t.equal(fast.throughFastify, 0, 'the proxied front took it');
    t.equal(full.throughFastify, 1, 'fastify took it with fastPaths off');
  },
);
