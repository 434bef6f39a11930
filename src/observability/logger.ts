/** pino logger: JSON lines for machines, pino-pretty in a terminal; secrets are redacted at the source. */
import { type LevelWithSilent, type Logger, pino } from 'pino';
import { LOG_BUFFER_BYTES, LOG_FLUSH_INTERVAL_MS } from '../config/defaults.js';

export type { Logger };

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'token',
  'secret',
  '*.token',
  '*.secret',
];

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Pretty output for a human at a terminal; JSON otherwise. */
  pretty?: boolean;
  /** Write asynchronously (buffered): the access log must not block the request path. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  // Lines are batched into few writes (the access log is one line per request); a timer bounds their delay.
  // Registered before pino's own exit hook, so it runs first (see giveUpOnStuckReader).
  process.once('exit', () => giveUpOnStuckReader(destination));
  const destination = pino.destination({
    sync: false,
    minLength: LOG_BUFFER_BYTES,
    retryEAGAIN: () => !exiting,
  });
  setInterval(() => destination.flush(), LOG_FLUSH_INTERVAL_MS).unref();
  return pino(base, destination);
}

/** Set when the process is about to exit: from then on a full pipe is given up on rather than waited for. */
let exiting = false;

/**
 * sonic-boom retries a write that meets a full pipe (EAGAIN) for ever, and pino flushes synchronously at exit:
 * a log reader that stopped reading (a stuck shipper, `npm start | less`) would keep the process from ever
 * exiting, even after SIGTERM. At exit the lines go out if the pipe takes them, and are dropped if it does not.
 */
function giveUpOnStuckReader(destination: pino.DestinationStream & { flushSync?: () => void }): void {
  exiting = true;
  try {
    destination.flushSync?.();
  } catch {
    // What the reader would not take is dropped; pino's own exit hook must not meet it again.
    destination.flushSync = () => undefined;
  }
}

/** The destination the logger writes to (the access log writes its lines there too). */
export function streamOf(logger: Logger): pino.DestinationStream & { flushSync?: () => void } {
  return (logger as unknown as Record<symbol, pino.DestinationStream>)[
    pino.symbols.streamSym
  ] as pino.DestinationStream;
}

/** Writes out buffered lines before the process exits. */
export function flushLogsSync(logger: Logger): void {
  exiting = true;
  try {
    streamOf(logger).flushSync?.();
  } catch {
    // A write still in flight finishes on its own; nothing more to do at exit.
  }
}
