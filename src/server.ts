/** Composition root: read the config, start the gateway, wire the signals. No logic of its own (main.ts checks the runtime first). */
import cluster from 'node:cluster';
import { runClusterPrimary } from './cluster/primary.js';
import { runClusterWorker } from './cluster/worker.js';
import { loadConfig } from './config/load-config.js';
import { SERVER_USAGE } from './config/usage.js';
import { GerbangError } from './errors.js';
import { startGateway } from './gateway.js';
import { createLogger, flushLogsSync } from './observability/logger.js';

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(SERVER_USAGE);
    return;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`gerbang: ${(err as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  // GERBANG_WORKERS > 1: this process is the control plane and forks data-plane workers (src/cluster/).
  if (config.workers > 1 && cluster.isWorker)
    return runClusterWorker(config, logger.child({ worker: cluster.worker?.id }));
  const gateway =
    config.workers > 1 ? await runClusterPrimary(config, logger) : await startGateway(config, logger);

  process.on('SIGHUP', () => void gateway.reload());
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'draining');
    gateway.stop().then(
      () => {
        logger.info('stopped');
        flushLogsSync(logger);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'unclean stop');
        flushLogsSync(logger);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // A config the gateway refuses only once it can check it (a config host's target): EX_CONFIG, named.
  if (err instanceof GerbangError && err.code === 'CONFIG_INVALID') {
    process.stderr.write(`gerbang: ${err.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`gerbang: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
