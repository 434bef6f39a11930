import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { TargetPolicy } from '../../src/model/target-policy.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const COMPOSE_FILE = join(REPO, 'deploy', 'compose.yaml');

interface Service {
  ports?: Array<string | { host_ip?: string; target: number; published?: string | number }>;
  network_mode?: string;
  volumes?: string[];
}
interface Compose {
  services: Record<string, Service>;
  networks?: Record<string, { ipam?: { config?: Array<{ subnet?: string }> } } | null>;
}

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as Compose;

/** `[ip:]published:target` of the short syntax, or the long syntax; no IP means every interface of the host. */
function published(port: NonNullable<Service['ports']>[number]): { ip: string; target: number } {
  if (typeof port !== 'string') return { ip: port.host_ip ?? '0.0.0.0', target: port.target };
  const parts = port.split('/')[0]?.split(':') ?? [];
  const target = Number(parts.at(-1));
  return { ip: parts.length === 3 ? (parts[0] as string) : '0.0.0.0', target };
}

const mountedConfig = () => {
  const mount = (compose.services['gerbang-1']?.volumes ?? []).find((v) =>
    v.includes(':/etc/gerbang/gerbang.yaml'),
  );
  return loadConfig({
    GERBANG_CONFIG: resolve(dirname(COMPOSE_FILE), mount?.split(':')[0] ?? ''),
    GERBANG_ADMIN_TOKEN: 'compose-test-token-0123456789',
    GERBANG_REDIS_URL: 'redis://redis:6379/0',
  });
};

t.test('only the public listeners are published on every interface; the rest on loopback only', async (t) => {
  const config = mountedConfig();
  const publicPorts = new Set([config.http.port, config.https.port]);
  for (const [name, service] of Object.entries(compose.services)) {
    t.not(service.network_mode, 'host', `${name} does not share the host's interfaces`);
    for (const port of service.ports ?? []) {
      const { ip, target } = published(port);
      const isPublic = name.startsWith('gerbang-') && publicPorts.has(target);
      if (isPublic) continue;
      t.equal(ip, '127.0.0.1', `${name}: container port ${target} is published on loopback only`);
    }
  }
  for (const name of ['gerbang-1', 'gerbang-2']) {
    const admin = (compose.services[name]?.ports ?? [])
      .map(published)
      .filter((p) => p.target === config.admin.port);
    t.equal(admin.length, 1, `${name}'s admin port is published once, for operators (SSH, management VPN)`);
  }
  t.same(compose.services.redis?.ports ?? [], [], 'Redis is not published at all');
});

t.test("every compose network is denied to routes by the deployment's backends.deny", async (t) => {
  const config = mountedConfig();
  const policy = new TargetPolicy(config.backends ?? { allow: [], deny: [] });
  const networks = Object.entries(compose.networks ?? {});
  t.ok(networks.length > 0, 'the networks have fixed subnets (a random one could not be denied)');
  for (const [name, network] of networks) {
    const subnets = (network?.ipam?.config ?? []).map((c) => c.subnet).filter((s): s is string => !!s);
    t.ok(subnets.length > 0, `network ${name} has a fixed subnet`);
    for (const subnet of subnets) {
      const [base = ''] = subnet.split('/');
      // An address inside the subnet (where Redis, Prometheus, Grafana and the admin APIs are), on their ports.
      const inside = base.replace(/\.0$/, '.10');
      for (const port of [6379, 9090, 3000, config.admin.port]) {
        t.match(policy.refusal(inside, port), /backends\.deny/, `${name} ${inside}:${port} is denied`);
      }
    }
  }
  t.notOk(policy.refusal('10.20.1.5', 8080), 'a backend on the data centre network is still allowed');
});
