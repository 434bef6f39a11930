/** Shared bits of the store tests: a logger that keeps its lines, polling, and waiting for one store event. */

import { pino } from 'pino';
import type { Test } from 'tap';
import type { Logger } from '../../src/observability/logger.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store, StoreEvents } from '../../src/store/store.js';
import { startRedis } from '../helpers/redis-server.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface CapturedLogger {
  logger: Logger;
  lines: LogLine[];
}

export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export function captureLogger(): CapturedLogger {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  return { logger, lines };
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs`, naming what was awaited. */
export async function eventually(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The arguments of the next `event` the store emits (that `match` accepts), or a timeout error. */
export function nextEvent<E extends keyof StoreEvents>(
  store: Store,
  event: E,
  timeoutMs = 5_000,
  match: (...args: Parameters<StoreEvents[E]>) => boolean = () => true,
): Promise<Parameters<StoreEvents[E]>> {
  return new Promise((resolve, reject) => {
    const listener = (...args: Parameters<StoreEvents[E]>): void => {
      if (!match(...args)) return;
      clearTimeout(timer);
      store.off(event, listener as StoreEvents[E]);
      resolve(args);
    };
    const timer = setTimeout(() => {
      store.off(event, listener as StoreEvents[E]);
      reject(new Error(`no ${event} event within ${timeoutMs} ms`));
    }, timeoutMs);
    store.on(event, listener as StoreEvents[E]);
  });
}

/** A key prefix of its own for each test, so a shared Redis could never mix two tests' data. */
export function testPrefix(name: string): string {
  return `test:${name}:${process.pid}:`;
}

/** Two started RedisStore instances sharing one real redis-server and prefix, stopped with the test. */
export async function twoStoresOnOneRedis(t: Test, name: string): Promise<{ a: RedisStore; b: RedisStore }> {
  const redis = await startRedis();
  const { logger } = captureLogger();
  const prefix = testPrefix(name);
  const a = new RedisStore({ url: redis.url, prefix, logger });
  const b = new RedisStore({ url: redis.url, prefix, logger });
  t.teardown(async () => {
    await a.close();
    await b.close();
    await redis.stop();
  });
  await a.start();
  await b.start();
  return { a, b };
}
