/** pino logger: JSON lines for machines, pino-pretty in a terminal; secrets are redacted at the source. */
import { type LevelWithSilent, type Logger, pino } from 'pino';

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
  return pino(base, pino.destination({ sync: false }));
}
