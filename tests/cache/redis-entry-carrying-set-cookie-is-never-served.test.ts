import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { http } from '../helpers/http.js';
import { twoGatewaysOnOneRedis } from '../helpers/two-gateways.js';
import { waitFor } from '../helpers/wait-for.js';
import { HOST } from './kit.js';

/** Adds a field to the JSON head of a stored entry (4-byte length, head, body) in place. */
async function addField(redis: Redis, key: string, name: string, value: string): Promise<void> {
  const buf = (await redis.getBuffer(key)) as Buffer;
  const length = buf.readUInt32BE(0);
  const head = JSON.parse(buf.subarray(4, 4 + length).toString('utf8')) as {
    headers: Record<string, string>;
  };
  head.headers[name] = value;
  const json = Buffer.from(JSON.stringify(head));
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(json.length, 0);
  await redis.set(key, Buffer.concat([prefix, json, buf.subarray(4 + length)]), 'PX', 60_000);
}

t.test(
  'an entry read back from Redis with Set-Cookie (an older instance stored it, or someone wrote it) is never served',
  async (t) => {
    const backend = await startBackend((req, res) => {
      res.writeHead(200, { 'cache-control': 'public, max-age=600', 'content-type': 'text/plain' });
      res.end(`from the backend ${req.url}`);
    });
    const { a, b, redisUrl } = await twoGatewaysOnOneRedis(t, HOST, backend.origin);
    const redis = new Redis(redisUrl);
    t.teardown(async () => {
      redis.disconnect();
      await backend.stop();
    });

    // B reads what A stored once its Redis tier is up.
    await http(`${a.url}/warm`, { host: HOST });
    await waitFor('B to read from Redis', async () =>
      /hit/.test(String((await http(`${b.url}/warm`, { host: HOST })).headers['cache-status'])),
    );

    for (const name of ['set-cookie', 'Set-Cookie', 'set-cookie2']) {
      const path = `/beranda-${name}`;
      const first = await http(`${a.url}${path}`, { host: HOST });
      t.match(first.headers['cache-status'], /stored/, `${name}: stored by A`);
      await sleep(100);
      const [key] = await redis.keys(`*cache:*${path}`);
      t.ok(key, `${name}: the entry is in Redis`);
      await addField(redis, key as string, name, 'PHPSESSID=someone-else; path=/');
      const seen = backend.seen.length;
      const fromB = await http(`${b.url}${path}`, { host: HOST });
      t.equal(fromB.status, 200, `${name}: B answers`);
      t.equal(fromB.headers['set-cookie'], undefined, `${name}: without the stored cookie`);
      t.equal(fromB.headers['set-cookie2'], undefined);
      t.match(fromB.headers['cache-status'], /^gerbang; fwd=/, `${name}: not a hit`);
      t.equal(backend.seen.length, seen + 1, `${name}: the backend was asked instead`);
    }
  },
);
