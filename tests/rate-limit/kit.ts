/** Shared bits of the rate-limit tests: a GET from a client a trusted proxy names in X-Forwarded-For, and one client hammering several instances. */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type RawResponse, rawTargetGet } from '../policy/kit.js';

/** The trusted proxy every test gateway here believes. */
export const PROXY = '127.0.0.2';

export function fromClient(port: number, host: string, client: string, path = '/'): Promise<RawResponse> {
  return rawTargetGet(port, host, path, { localAddress: PROXY, headers: { 'x-forwarded-for': client } });
}

export interface HammerResult {
  /** Answers by status code. */
  statuses: Map<number, number>;
  /** From the first request sent to the last answer, ms. */
  elapsedMs: number;
}

/** `concurrency` loops, each sending GETs for `durationMs` in turn to every port (one client, several instances). */
export async function hammer(
  ports: readonly number[],
  host: string,
  path: string,
  durationMs: number,
  concurrency = 4,
): Promise<HammerResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency * ports.length });
  const statuses = new Map<number, number>();
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (offset: number): Promise<void> => {
    // Bounded in time, and in count should the gateway answer faster than any loop can go.
    for (let i = offset; i < offset + 1_000_000 && performance.now() < deadline; i++) {
      const port = ports[i % ports.length] as number;
      const status = await get(agent, port, host, path);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { statuses, elapsedMs };
}

function get(agent: Agent, port: number, host: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { host }, agent, timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', () => resolve(0));
    req.end();
  });
}

// A collection before each measure: what the heap holds, not what the collector has not reached yet.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The live heap (MiB) after a full collection. */
export function liveHeapMiB(): number {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}
