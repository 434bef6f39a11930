/** What every bench script's server does: listen on BENCH_PORT (0: a free one) on loopback, tell the harness its port over IPC, and stop on SIGTERM. */
import type { Server } from 'node:net';

/** Any node:net server (http, https, http2); those with live connections close them on SIGTERM. */
type ScriptServer = Server & { closeAllConnections?: () => void };

export function serveForBench(server: ScriptServer): void {
  server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.send?.({ ready: true, port });
  });
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    // An HTTP/2 session does not end with closeAllConnections: the process does not wait for it.
    setTimeout(() => process.exit(0), 1_000).unref();
  });
}
