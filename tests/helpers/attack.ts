/** What the attack suite measures before and after an attack: open fds, a backend's open connections, memory, another host's latency; and how big an attack is (`npm test` fast, `npm run attack` full). */
import { readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Test } from 'tap';
import { http } from './http.js';
import { metricValue } from './wait-for.js';

/** `npm run attack` sets GERBANG_ATTACK=full: the attacks at the size seen in the field; `npm test` runs them small. */
export const FULL_ATTACK = process.env.GERBANG_ATTACK === 'full';

/** The attack's size: `fast` in `npm test`, `full` under `npm run attack`. */
export function attackSize(fast: number, full: number): number {
  return FULL_ATTACK ? full : fast;
}

/** File descriptors open in this process (the in-process gateway, its backends and the test's own clients). */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

export function rssMiB(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

let collect: (() => void) | undefined;

/**
 * The live heap after a full GC: what an attack left reachable. RSS keeps the heap V8 grew into (a full-size
 * attack leaves it 100+ MiB up with nothing leaked), so big attacks are judged on this.
 */
export function heapAfterGcMiB(): number {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Counts the connections a backend server has open right now (accepted and not yet closed). */
export function trackConnections(server: Server): { open(): number; total(): number } {
  const live = new Set<Socket>();
  let total = 0;
  server.on('connection', (socket: Socket) => {
    total += 1;
    live.add(socket);
    socket.once('close', () => live.delete(socket));
  });
  return { open: () => live.size, total: () => total };
}

/** Median time (ms) of `count` sequential GETs of `path` on `host`: how an unrelated citizen fares. */
export async function medianLatencyMs(url: string, host: string, path = '/', count = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await http(`${url}${path}`, { host, timeoutMs: 10_000 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/**
 * Polls `measure` until it is at most `baseline + slack`, then passes; fails with the last value when
 * `timeoutMs` passes first. A leak keeps the value up, so this fails on leaking code.
 */
export async function backToBaseline(
  t: Test,
  what: string,
  measure: () => number | Promise<number>,
  baseline: number,
  slack: number,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = await measure();
  while (value > baseline + slack && Date.now() < deadline) {
    await sleep(100);
    value = await measure();
  }
  t.ok(
    value <= baseline + slack,
    `${what} back to baseline: ${value} (baseline ${baseline}, slack ${slack})`,
  );
  return value;
}

/** The public HTTP listener's gauges back where they belong: nothing in flight, `connections` client connections open. */
export async function listenerGaugesBack(
  t: Test,
  adminUrl: string,
  connections = 0,
  label = '',
): Promise<void> {
  await backToBaseline(
    t,
    `${label}requests in flight`,
    () => metricValue(adminUrl, 'gerbang_requests_in_flight', { listener: 'http' }),
    0,
    0,
    3_000,
  );
  await backToBaseline(
    t,
    `${label}open client connections (gauge)`,
    () => metricValue(adminUrl, 'gerbang_open_connections', { listener: 'http' }),
    connections,
    0,
    3_000,
  );
}
