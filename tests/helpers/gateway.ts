/** Starts a real Gerbang in the test process on free loopback ports, with a temp state dir; and talks to its admin API. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load-config.js';
import type { GatewayConfig } from '../../src/config/schema.js';
import { type Gateway, startGateway } from '../../src/gateway.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestGateway {
  readonly gateway: Gateway;
  /** `http://127.0.0.1:<port>` of the public HTTP listener. */
  readonly url: string;
  readonly adminUrl: string;
  readonly stateDir: string;
  /** Calls the admin API with the bootstrap admin token (or `token`). */
  admin(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Extra GERBANG_* variables (GERBANG_REDIS_URL, ...). */
  env?: Record<string, string>;
  /** Overrides applied to the loaded config (hosts, trustedProxies, limits, ...). */
  config?: Partial<GatewayConfig>;
  /** Overrides of single limits, the others keeping their defaults. */
  limits?: Partial<GatewayConfig['limits']>;
  stateDir?: string;
  /** Log lines land here when given; otherwise the logger is silent. */
  logLines?: Array<Record<string, unknown>>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'gerbang-test-')));
  // Tests never read the demo's config/gerbang.yaml: an empty file of their own stands in.
  const configPath = join(stateDir, 'gerbang.yaml');
  // Test backends listen on loopback, as the demo's do: allowed like config/gerbang.yaml allows them.
  await writeFile(configPath, 'zones: [paserkab.go.id]\nbackends: { allow: [127.0.0.0/8, "::1/128"] }\n');
  const loaded = loadConfig({
    GERBANG_CONFIG: configPath,
    GERBANG_HTTP_PORT: '0',
    GERBANG_HTTPS_PORT: '0',
    GERBANG_ADMIN_PORT: '0',
    GERBANG_STATE_DIR: stateDir,
    GERBANG_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    // No not-ready window on stop: a test that wants the shutdown grace sets it.
    GERBANG_SHUTDOWN_GRACE_MS: '0',
    ...options.env,
  });
  const config: GatewayConfig = {
    ...loaded,
    ...options.config,
    limits: { ...(options.config?.limits ?? loaded.limits), ...options.limits },
    // A test may say which public port clients use (a NAT publishing 80 onto the test's port).
    http: { host: '127.0.0.1', port: 0, publicPort: options.config?.http?.publicPort },
    https: { host: '127.0.0.1', port: 0, publicPort: options.config?.https?.publicPort },
    // Always loopback; a test may pick the admin port (a port some route already names, say).
    admin: { host: '127.0.0.1', port: options.config?.admin?.port ?? 0 },
  };
  const lines = options.logLines;
  const logger = lines
    ? pino({ level: 'debug' }, { write: (chunk: string) => void lines.push(...parseLines(chunk)) })
    : pino({ level: 'silent' });
  const gateway = await startGateway(config, logger);
  const adminUrl = `http://127.0.0.1:${gateway.ports.admin}`;
  return {
    gateway,
    url: `http://127.0.0.1:${gateway.ports.http}`,
    adminUrl,
    stateDir,
    async admin(method, path, body, token = TEST_ADMIN_TOKEN) {
      const res = await fetch(adminUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await gateway.stop();
      if (!options.stateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** A one-route host document for `target`. */
export function simpleHost(target: string, extra: Record<string, unknown> = {}): { routes: unknown[] } {
  return { routes: [{ path: '/', targets: [target], ...extra }] };
}

/** A destination gets one or more whole lines per write (the access log hands over a turn's lines at once). */
function parseLines(chunk: string): Array<Record<string, unknown>> {
  return chunk
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
