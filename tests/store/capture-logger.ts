/** A pino logger for store tests that keeps every line in memory, so a test can assert what was reported. */
import { pino } from 'pino';
import type { Logger } from '../../src/observability/logger.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface CapturedLogger {
  logger: Logger;
  lines: LogLine[];
}

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

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs` naming what was awaited. */
export async function eventually(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
