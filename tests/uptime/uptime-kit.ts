/** Shared by the uptime tests: a backend that can be stopped and started again on its port, and reading GET /v1/uptime. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestGateway } from '../helpers/gateway.js';
import { waitFor } from '../helpers/wait-for.js';

/** Short checks, one probe decides: a verdict lags the backend by at most one interval (plus the probe). */
export const CHECK_INTERVAL_MS = 250;
export const HEALTH_CHECK = {
  path: '/healthz',
  intervalMs: CHECK_INTERVAL_MS,
  timeoutMs: 200,
  healthyThreshold: 1,
  unhealthyThreshold: 1,
};

export interface Incident {
  start: string;
  end?: string;
  durationSeconds: number;
  cause: string;
}
export interface Service {
  host: string;
  agency?: string;
  uptimePercent: number;
  downtimeSeconds: number;
  observedSeconds: number;
  incidents: Incident[];
  minutes?: string;
}
export interface UptimeBody {
  month: string;
  services: Service[];
  agencies: Array<{ agency: string; uptimePercent: number; downtimeSeconds: number; hosts: number }>;
}

export interface KillableBackend {
  readonly origin: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A real backend on a fixed loopback port: stop() closes it (connections too), start() listens there again. */
export async function killableBackend(): Promise<KillableBackend> {
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    const s = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': 2 });
      res.end('ok');
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', resolve);
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  await listen();
  return {
    origin: `http://127.0.0.1:${port}`,
    start: listen,
    stop: async () => {
      const s = server;
      server = undefined;
      if (s === undefined) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

export async function uptimeOf(gw: TestGateway, host: string): Promise<Service | undefined> {
  const res = await gw.admin('GET', `/v1/uptime?host=${host}`);
  if (res.status !== 200) return undefined;
  return (res.body as UptimeBody).services[0];
}

/** Waits until the host's record satisfies `ok`. */
export function waitForUptime(
  gw: TestGateway,
  host: string,
  what: string,
  ok: (s: Service) => boolean,
): Promise<Service> {
  return waitFor(
    what,
    async () => {
      const s = await uptimeOf(gw, host);
      return s !== undefined && ok(s) ? s : undefined;
    },
    10_000,
  );
}
