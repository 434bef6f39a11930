import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { http } from '../helpers/http.js';
import { twoGatewaysOnOneRedis } from '../helpers/two-gateways.js';
import { HOST } from './kit.js';

t.test(
  'with Redis, a second instance serves what the first one stored without asking the backend',
  async (t) => {
    let n = 0;
    const backend = await startBackend((_req, res) => {
      n++;
      res.writeHead(200, {
        'cache-control': 'max-age=60',
        vary: 'accept-language',
        'content-type': 'text/plain',
      });
      res.end(`stored once (#${n})`);
    });
    const { a, b } = await twoGatewaysOnOneRedis(t, HOST, backend.origin);
    t.teardown(async () => {
      await backend.stop();
    });
    const before = backend.seen.length;

    const first = await http(`${a.url}/shared`, { host: HOST, headers: { 'accept-language': 'id' } });
    t.match(first.headers['cache-status'], /stored/);
    await sleep(200);
    const second = await http(`${b.url}/shared`, { host: HOST, headers: { 'accept-language': 'id' } });
    t.equal(second.body, first.body, 'the same stored body');
    t.match(second.headers['cache-status'], /^gerbang; hit/);
    const otherLanguage = await http(`${b.url}/shared`, { host: HOST, headers: { 'accept-language': 'en' } });
    t.match(otherLanguage.headers['cache-status'], /fwd=/, 'Vary still holds across instances');
    t.equal(backend.seen.length - before, 2, 'the backend saw the first request and the other language only');
  },
);
