import t from 'tap';
import { cacheSetup } from './kit.js';

t.test('Vary: responses are stored per Accept-Language and never served across languages', async (t) => {
  const s = await cacheSetup((req, res) => {
    const lang = req.headers['accept-language'] ?? 'none';
    res.writeHead(200, {
      'content-type': 'text/plain',
      'cache-control': 'max-age=60',
      vary: 'Accept-Language',
    });
    res.end(`page in ${lang}`);
  });
  t.teardown(() => s.stop());

  const id1 = await s.get('/berita', { headers: { 'accept-language': 'id' } });
  const en1 = await s.get('/berita', { headers: { 'accept-language': 'en' } });
  t.equal(id1.body, 'page in id');
  t.equal(en1.body, 'page in en', 'a different language is not served the stored Indonesian page');
  t.match(en1.headers['cache-status'], /fwd=vary-miss/);
  t.equal(s.hits('/berita'), 2);

  const id2 = await s.get('/berita', { headers: { 'accept-language': 'id' } });
  const en2 = await s.get('/berita', { headers: { 'accept-language': 'en' } });
  const none = await s.get('/berita');
  t.equal(id2.body, 'page in id');
  t.match(id2.headers['cache-status'], /hit/);
  t.equal(en2.body, 'page in en');
  t.match(en2.headers['cache-status'], /hit/);
  t.equal(none.body, 'page in none', 'no Accept-Language is a variant of its own');
  t.equal(s.hits('/berita'), 3);
});
