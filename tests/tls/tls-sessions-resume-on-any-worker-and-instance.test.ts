import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { freePort } from '../helpers/free-port.js';
import { type GatewayProcess, spawnGateway } from '../helpers/gateway-process.js';
import { startRedis } from '../helpers/redis-server.js';
import { resume } from '../helpers/tls-resumption.js';

t.test(
  'two instances of two workers each on one Redis: a TLS session resumes whichever process answers',
  async (t) => {
    const redis = await startRedis();
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-tickets-'));
    t.teardown(async () => {
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    });
    await writeFile(join(dir, 'gerbang.yaml'), 'zones: [paserkab.go.id]\n');
    const instance = async (name: string): Promise<{ gw: GatewayProcess; https: number }> => {
      const stateDir = join(dir, name);
      const https = await freePort();
      const gw = await spawnGateway({
        GERBANG_CONFIG: join(dir, 'gerbang.yaml'),
        GERBANG_STATE_DIR: stateDir,
        GERBANG_REDIS_URL: redis.url,
        GERBANG_HTTPS_PORT: String(https),
        GERBANG_WORKERS: '2',
      });
      t.teardown(() => gw.stop());
      return { gw, https };
    };
    const [a, b] = await Promise.all([instance('a'), instance('b')]);

    const first = await resume(a.https);
    t.equal(first.reused, false, 'the first connection is a full handshake');
    t.ok(first.session, 'and hands out a ticket');
    // Every connection is new: the cluster spreads them over both workers of each instance.
    const connections = 40;
    let reused = 0;
    for (let i = 0; i < connections; i++) {
      const r = await resume(i % 2 === 0 ? b.https : a.https, first.session);
      if (r.reused) reused++;
    }
    t.equal(reused, connections, `all ${connections} connections resumed (${reused}), on either instance`);
  },
);
