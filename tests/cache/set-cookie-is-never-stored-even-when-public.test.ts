import t from 'tap';
import { cacheSetup } from './kit.js';

t.test(
  'a public page that starts a session (PHP session.cache_limiter=public) is not stored: every visitor gets their own cookie',
  async (t) => {
    let n = 0;
    const s = await cacheSetup((_req, res) => {
      n++;
      res.writeHead(200, {
        'content-type': 'text/html',
        // What PHP sends with session.cache_limiter=public on the request that starts a session.
        'cache-control': 'public, max-age=10800',
        expires: new Date(Date.now() + 10_800_000).toUTCString(),
        'set-cookie': `PHPSESSID=visitor-${n}; path=/`,
      });
      res.end(`<form><input name="csrf" value="token-of-visitor-${n}"></form>`);
    });
    t.teardown(() => s.stop());

    const first = await s.get('/layanan/pengaduan');
    const second = await s.get('/layanan/pengaduan');
    t.same(first.headers['set-cookie'], ['PHPSESSID=visitor-1; path=/'], 'the first visitor gets its cookie');
    t.same(
      second.headers['set-cookie'],
      ['PHPSESSID=visitor-2; path=/'],
      'the second gets its own, not the first one’s',
    );
    t.match(second.body, /token-of-visitor-2/, 'and its own page');
    t.notMatch(second.headers['cache-status'], /hit/, 'not a hit');
    t.equal(s.hits('/layanan/pengaduan'), 2, 'the backend answered both');
  },
);
