import type { OutgoingHttpHeaders } from 'node:http';
import t from 'tap';
import { cacheSetup } from './kit.js';

// path → response headers; every response body names the request number, so reuse is visible.
const RESPONSES: Record<string, OutgoingHttpHeaders> = {
  '/private': { 'cache-control': 'private, max-age=60' },
  '/no-store': { 'cache-control': 'no-store, max-age=60' },
  '/cookie': { 'cache-control': 'max-age=60', 'set-cookie': 'sid=citizen-a' },
  '/cookie-public': { 'cache-control': 'public, max-age=60', 'set-cookie': 'lang=id' },
  '/vary-star': { 'cache-control': 'max-age=60', vary: '*' },
  '/auth': { 'cache-control': 'max-age=60' },
  '/auth-public': { 'cache-control': 'public, max-age=60' },
  '/auth-s-maxage': { 'cache-control': 's-maxage=60' },
  '/session': { 'cache-control': 'max-age=60' },
};

t.test(
  'responses a shared cache must not store are fetched every time; explicit permission stores them',
  async (t) => {
    let n = 0;
    const s = await cacheSetup((req, res) => {
      n++;
      res.writeHead(200, { 'content-type': 'text/plain', ...RESPONSES[req.url ?? ''] });
      res.end(`response ${n} for ${req.headers.authorization ?? req.headers.cookie ?? 'anyone'}`);
    });
    t.teardown(() => s.stop());

    const twice = async (path: string, headers: OutgoingHttpHeaders = {}) => {
      const a = await s.get(path, { headers });
      const b = await s.get(path, { headers });
      return [a, b] as const;
    };

    // Set-Cookie is never stored, `public` or not (issue 12: one visitor's session cookie handed to every other).
    for (const path of ['/private', '/no-store', '/cookie', '/cookie-public', '/vary-star']) {
      const [a, b] = await twice(path);
      t.equal(s.hits(path), 2, `${path}: never stored`);
      t.not(a.body, b.body, `${path}: each answer is fresh from the backend`);
      t.notMatch(b.headers['cache-status'], /hit/, `${path}: not a hit`);
    }

    // Authorization: not stored, and another citizen never sees the authorised answer.
    await twice('/auth', { authorization: 'Bearer citizen-a' });
    t.equal(s.hits('/auth'), 2, '/auth with Authorization: never stored');
    const anon = await s.get('/auth');
    t.match(anon.body, /for anyone$/, 'an anonymous request does not get the authorised page');

    // A Cookie on the request: a personalised page unless the origin says it is shared.
    await twice('/session', { cookie: 'sid=citizen-b' });
    t.equal(s.hits('/session'), 2, 'a response to a request with Cookie is not stored without public');

    // Explicit permission (RFC 9111 §3.5).
    await twice('/auth-public', { authorization: 'Bearer citizen-a' });
    t.equal(s.hits('/auth-public'), 1, 'public allows storing an authorised response');
    await twice('/auth-s-maxage', { authorization: 'Bearer citizen-a' });
    t.equal(s.hits('/auth-s-maxage'), 1, 's-maxage allows storing an authorised response');
  },
);
