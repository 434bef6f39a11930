import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { http } from '../helpers/http.js';
import { twoGatewaysOnOneRedis } from '../helpers/two-gateways.js';
import { HOST } from './kit.js';

/** Rewrites the JSON head of a stored entry (4-byte length, head, body) in place. */
async function tamper(
  redis: Redis,
  key: string,
  change: (head: Record<string, unknown>) => void,
): Promise<void> {
  const buf = (await redis.getBuffer(key)) as Buffer;
  const length = buf.readUInt32BE(0);
  const head = JSON.parse(buf.subarray(4, 4 + length).toString('utf8')) as Record<string, unknown>;
  change(head);
  const json = Buffer.from(JSON.stringify(head));
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(json.length, 0);
  await redis.set(key, Buffer.concat([prefix, json, buf.subarray(4 + length)]), 'PX', 60_000);
}

t.test(
  'a stored response altered in Redis is not served: the backend answers, the gateway keeps going',
  async (t) => {
    const backend = await startBackend((req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=600', 'content-type': 'text/plain' });
      res.end(`fresh from the backend ${req.url}`);
    });
    const { a, b, redisUrl } = await twoGatewaysOnOneRedis(t, HOST, backend.origin);
    const redis = new Redis(redisUrl);
    t.teardown(async () => {
      redis.disconnect();
      await backend.stop();
    });

    const cases: Array<[string, (head: Record<string, unknown>) => void]> = [
      [
        'a header value with a line break',
        (h) => ((h.headers as Record<string, string>)['x-note'] = 'a\r\nx-injected: 1'),
      ],
      ['a header name that is not a token', (h) => ((h.headers as Record<string, string>)['bad name'] = 'v')],
      ['a lifetime that is not a number', (h) => (h.lifetime = 'forever')],
      ['a status outside HTTP', (h) => (h.status = 99)],
    ];
    for (const [what, change] of cases) {
      const path = `/page-${cases.findIndex(([w]) => w === what)}`;
      const first = await http(`${a.url}${path}`, { host: HOST });
      t.match(first.headers['cache-status'], /stored/, `${what}: stored by A`);
      await sleep(100);
      const [key] = await redis.keys(`*cache:*${path}`);
      t.ok(key, `${what}: the entry is in Redis`);
      await tamper(redis, key as string, change);
      const seen = backend.seen.length;
      const fromB = await http(`${b.url}${path}`, { host: HOST });
      t.equal(fromB.status, 200, `${what}: B answers`);
      t.equal(fromB.body, `fresh from the backend ${path}`);
      t.match(fromB.headers['cache-status'], /^gerbang; fwd=/, `${what}: not a hit`);
      t.equal(fromB.headers['x-injected'], undefined);
      t.equal(backend.seen.length, seen + 1, `${what}: the backend was asked instead`);
    }
    const again = await http(`${b.url}/page-0`, { host: HOST });
    t.match(again.headers['cache-status'], /^gerbang; hit/, 'what B stored itself is served');
  },
);
