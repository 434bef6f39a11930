/** Shared bits of the usage tests: two agencies with a host each on one backend, exact-byte requests, and the report call. */
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { findHost } from '../../src/data/routing/router.js';
import { type Backend, startBackend } from '../helpers/backend.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { rawRequest } from '../helpers/http.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';

export const DINKES = 'dinkes.paserkab.go.id';
export const DISDIK = 'disdik.paserkab.go.id';

/** A gateway on the embedded store, or on a fresh redis-server (stopped at teardown) with a quick resync. */
export async function gatewayOn(t: Test, kind: 'embedded' | 'redis'): Promise<TestGateway> {
  if (kind === 'embedded') return startTestGateway();
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  return startTestGateway({
    env: { GERBANG_REDIS_URL: redis.url },
    config: { redis: { url: redis.url, prefix: 'gerbang:', resyncIntervalMs: 1_000 } },
  });
}

/** `/error` answers 500, `/cached` may be stored for a minute, anything else a small private page. */
export function usageBackend(): Promise<Backend> {
  return startBackend((req: IncomingMessage, res: ServerResponse) => {
    const body = `page ${req.url}`.padEnd(200, '.');
    if (req.url === '/error') {
      res.writeHead(500, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    } else {
      res.writeHead(200, {
        'content-type': 'text/plain',
        'cache-control': req.url === '/cached' ? 'max-age=60' : 'no-store',
        'content-length': Buffer.byteLength(body),
      });
    }
    res.end(body);
  });
}

/** Registers the agencies dinkes and disdik, each owning its host on `origin`. */
export async function twoAgencies(gw: TestGateway, origin: string): Promise<void> {
  for (const [id, host] of [
    ['dinkes', DINKES],
    ['disdik', DISDIK],
  ] as const) {
    const agency = await gw.admin('PUT', `/v1/agencies/${id}`, {
      name: id,
      contact: `${id}@paserkab.go.id`,
      owns: [host],
    });
    if (agency.status >= 300) throw new Error(`agency ${id}: ${JSON.stringify(agency.body)}`);
    const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
      agency: id,
      routes: [{ path: '/', targets: [origin] }],
    });
    if (put.status >= 300) throw new Error(`host ${host}: ${JSON.stringify(put.body)}`);
  }
}

/** One GET on a connection of its own; resolves with the number of bytes the gateway wrote back, head and body. */
export async function bytesOfGet(gw: TestGateway, host: string, path: string): Promise<number> {
  const port = Number(new URL(gw.url).port);
  const text = await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  if (!text.startsWith('HTTP/1.1 ')) throw new Error(`no answer for ${host}${path}`);
  return Buffer.byteLength(text, 'latin1');
}

export interface Figures {
  requests: number;
  bytesSent: number;
  bytesSavedByCache: number;
  bytesSavedByCompression: number;
  cacheHits: number;
  cacheHitRatio: number;
  errors5xx: number;
  upstreamFailures: number;
  p95UpstreamMs: number | null;
}

export interface HostRow extends Figures {
  agency: string;
  host: string;
  days: Array<Figures & { day: string }>;
}

export interface UsageBody {
  month: string;
  hosts: HostRow[];
  agencies: Array<Figures & { agency: string }>;
}

export function thisMonth(): string {
  return new Date().toISOString().slice(0, 7);
}

/** GET /v1/reports/usage as JSON (admin token unless `token`). */
export async function usageReport(gw: TestGateway, query = '', token?: string): Promise<UsageBody> {
  const res = await gw.admin('GET', `/v1/reports/usage${query}`, undefined, token);
  if (res.status !== 200) throw new Error(`usage report: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as UsageBody;
}

export function rowOf(report: UsageBody, host: string): HostRow | undefined {
  return report.hosts.find((row) => row.host === host);
}

/**
 * Two instances on one fresh redis-server, each with a state folder of its own, the two agencies registered on the
 * first and routed by the second (learnt from the change feed, no request sent yet); all stopped at teardown.
 */
export async function twoInstancesOnOneRedis(t: Test, origin: string): Promise<[TestGateway, TestGateway]> {
  const redis = await startRedis();
  const dirs: string[] = [];
  const gateways: TestGateway[] = [];
  t.teardown(async () => {
    for (const gw of gateways) await gw.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    await redis.stop();
  });
  for (let i = 0; i < 2; i++) {
    const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-usage-'));
    dirs.push(stateDir);
    gateways.push(
      await startTestGateway({
        stateDir,
        env: { GERBANG_REDIS_URL: redis.url },
        config: { redis: { url: redis.url, prefix: 'gerbang:', resyncIntervalMs: 300 } },
      }),
    );
  }
  const [a, b] = gateways as [TestGateway, TestGateway];
  await twoAgencies(a, origin);
  await waitFor('b routes the host', () => findHost(b.gateway.holder.current, DINKES) !== undefined, 10_000);
  return [a, b];
}
