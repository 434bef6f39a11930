/** Two Gerbang instances on one real redis-server, each with its own state dir, resyncing quickly; for the empty-store tests. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { LAST_SNAPSHOT_FILE } from '../../src/control/last-snapshot.js';
import { type Backend, startBackend } from '../helpers/backend.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { metricValue } from '../helpers/wait-for.js';

/** Short, so a flush (which drops no connection) is noticed within a second rather than a minute. */
export const RESYNC_MS = 300;

export interface Instance {
  gw: TestGateway;
  stateDir: string;
  logLines: Array<Record<string, unknown>>;
  restart(): Promise<void>;
}

export interface Cluster {
  redis: RedisServer;
  backend: Backend;
  a: Instance;
  b: Instance;
}

async function startInstance(t: Test, redisUrl: string): Promise<Instance> {
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-empty-store-'));
  const logLines: Array<Record<string, unknown>> = [];
  const start = () =>
    startTestGateway({
      stateDir,
      logLines,
      env: { GERBANG_REDIS_URL: redisUrl },
      config: { redis: { url: redisUrl, prefix: 'gerbang:', resyncIntervalMs: RESYNC_MS } },
    });
  const instance: Instance = {
    gw: await start(),
    stateDir,
    logLines,
    async restart() {
      await instance.gw.stop();
      instance.gw = await start();
    },
  };
  t.teardown(async () => {
    await instance.gw.stop();
    await rm(stateDir, { recursive: true, force: true });
  });
  return instance;
}

export async function twoGatewaysOnRedis(t: Test): Promise<Cluster> {
  const redis = await startRedis();
  const backend = await startBackend();
  t.teardown(async () => {
    await backend.stop();
    await redis.stop();
  });
  const a = await startInstance(t, redis.url);
  const b = await startInstance(t, redis.url);
  return { redis, backend, a, b };
}

export function suspectGauge(instance: Instance): Promise<number> {
  return metricValue(instance.gw.adminUrl, 'gerbang_store_suspect_empty');
}

/** What the instance's local last-known-good copy holds: host names, and how many agencies and tokens. */
export async function lastSnapshotOf(
  instance: Instance,
): Promise<{ hosts: string[]; agencies: number; tokens: number }> {
  await instance.gw.gateway.publisher.settle();
  const parsed = JSON.parse(await readFile(join(instance.stateDir, LAST_SNAPSHOT_FILE), 'utf8')) as {
    hosts: Array<{ host: string }>;
    agencies?: Record<string, string>;
    tokens?: Record<string, string>;
  };
  return {
    hosts: parsed.hosts.map((h) => h.host).sort(),
    agencies: Object.keys(parsed.agencies ?? {}).length,
    tokens: Object.keys(parsed.tokens ?? {}).length,
  };
}

export async function hostsInLastSnapshot(instance: Instance): Promise<string[]> {
  return (await lastSnapshotOf(instance)).hosts;
}
