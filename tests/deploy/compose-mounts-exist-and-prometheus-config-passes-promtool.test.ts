import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { PROMTOOL_BIN } from '../helpers/prometheus.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const COMPOSE_FILE = join(REPO, 'deploy', 'compose.yaml');
const COMPOSE_DIR = dirname(COMPOSE_FILE);

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
}

interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** `src:dst[:mode]` of the short syntax; a named volume has no path separator in `src`. */
function mountsOf(service: Service): Array<{ src: string; dst: string; bind: boolean }> {
  return (service.volumes ?? []).map((v) => {
    const [src = '', dst = ''] = v.split(':');
    return { src, dst, bind: src.startsWith('.') || src.startsWith('/') };
  });
}

// Merge keys (<<: *gerbang) are YAML 1.1; docker compose reads them, so must we.
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as Compose;

t.test('the compose file has two gateways, Redis, Prometheus and Grafana', async (t) => {
  t.same(Object.keys(compose.services).sort(), ['gerbang-1', 'gerbang-2', 'grafana', 'prometheus', 'redis']);
  for (const name of ['gerbang-1', 'gerbang-2']) {
    const s = compose.services[name] as Service;
    t.equal(s.environment?.GERBANG_REDIS_URL, 'redis://redis:6379/0', `${name} shares the Redis store`);
    t.ok(
      mountsOf(s).some((m) => m.dst === '/data' && !m.bind),
      `${name} keeps its state on a volume of its own`,
    );
    t.ok(
      s.build && existsSync(join(resolve(COMPOSE_DIR, s.build.context), s.build.dockerfile ?? 'Dockerfile')),
    );
  }
  const dataVolumes = ['gerbang-1', 'gerbang-2'].map(
    (n) => mountsOf(compose.services[n] as Service).find((m) => m.dst === '/data')?.src,
  );
  t.not(dataVolumes[0], dataVolumes[1], 'the two instances do not share one state volume');
});

t.test('every host path the compose file mounts exists in the repository', async (t) => {
  let binds = 0;
  for (const [name, service] of Object.entries(compose.services)) {
    for (const m of mountsOf(service)) {
      if (!m.bind) {
        t.ok(compose.volumes && m.src in compose.volumes, `${name}: named volume ${m.src} is declared`);
        continue;
      }
      binds++;
      t.notOk(isAbsolute(m.src), `${name}: ${m.src} is relative to the repository, not to this machine`);
      t.ok(existsSync(resolve(COMPOSE_DIR, m.src)), `${name}: ${m.src} exists`);
    }
  }
  t.ok(binds >= 5, 'configuration, rules, provisioning and dashboards are mounted');
});

t.test("the mounted Gerbang config loads with the gateway's own loader", async (t) => {
  const mount = mountsOf(compose.services['gerbang-1'] as Service).find(
    (m) => m.dst === '/etc/gerbang/gerbang.yaml',
  );
  t.ok(mount, 'gerbang-1 mounts its config');
  const config = loadConfig({
    GERBANG_CONFIG: resolve(COMPOSE_DIR, mount?.src ?? ''),
    GERBANG_ADMIN_TOKEN: 'compose-test-token-0123456789',
    GERBANG_REDIS_URL: 'redis://redis:6379/0',
  });
  t.equal(config.admin.host, '0.0.0.0', 'Prometheus in another container can reach /metrics');
  t.equal(config.admin.port, 9180);
  t.equal(config.stateDir, '/data');
});

t.test('the Prometheus config it mounts passes promtool check config, rules included', async (t) => {
  // Rebuild the container's file layout in a temp dir, so relative rule_files resolve as they will inside it.
  const root = mkdtempSync(join(tmpdir(), 'gerbang-compose-prom-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const prometheus = compose.services.prometheus as Service;
  for (const m of mountsOf(prometheus).filter((m) => m.bind)) {
    const src = resolve(COMPOSE_DIR, m.src);
    cpSync(src, join(root, m.dst), { recursive: statSync(src).isDirectory() });
  }
  const configArg = (prometheus.command ?? []).find((a) => a.startsWith('--config.file='));
  const configPath = join(root, configArg?.split('=')[1] ?? '/etc/prometheus/prometheus.yml');
  const run = spawnSync(PROMTOOL_BIN, ['check', 'config', configPath], { encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`cannot run ${PROMTOOL_BIN}: ${run.error.message}`);
  t.equal(run.status, 0, `${run.stdout}${run.stderr}`);
  t.match(run.stdout, /SUCCESS: \d+ rules found/, 'the alert rules were found and checked');

  const config = parse(readFileSync(configPath, 'utf8')) as {
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };
  const job = config.scrape_configs.find((c) => c.job_name === 'gerbang');
  t.same(
    job?.static_configs.flatMap((s) => s.targets).sort(),
    ['gerbang-1:9180', 'gerbang-2:9180'],
    'job "gerbang" (the name the dashboards and alerts use) scrapes both instances',
  );
});

t.test('Grafana finds the provisioned datasource and the dashboards where compose mounts them', async (t) => {
  const grafana = compose.services.grafana as Service;
  const mounts = mountsOf(grafana);
  const provisioning = mounts.find((m) => m.dst === '/etc/grafana/provisioning');
  t.ok(provisioning, 'the provisioning folder is mounted where Grafana reads it');
  const provDir = resolve(COMPOSE_DIR, provisioning?.src ?? '');
  const providers = readdirSync(join(provDir, 'dashboards')).flatMap(
    (f) =>
      (
        parse(readFileSync(join(provDir, 'dashboards', f), 'utf8')) as {
          providers: Array<{ options: { path: string } }>;
        }
      ).providers,
  );
  t.ok(providers.length > 0);
  for (const p of providers) {
    const mount = mounts.find((m) => m.dst === p.options.path);
    t.ok(mount, `the provider path ${p.options.path} is a mount`);
    const jsons = readdirSync(resolve(COMPOSE_DIR, mount?.src ?? '.')).filter((f) => f.endsWith('.json'));
    t.ok(jsons.length >= 3, `dashboards are found there (${jsons.join(', ')})`);
  }
  const datasources = readdirSync(join(provDir, 'datasources')).flatMap(
    (f) =>
      (
        parse(readFileSync(join(provDir, 'datasources', f), 'utf8')) as {
          datasources: Array<{ type: string; url: string }>;
        }
      ).datasources,
  );
  const prom = datasources.find((d) => d.type === 'prometheus');
  t.equal(prom?.url, 'http://prometheus:9090', 'the datasource is the compose Prometheus');
  const home = grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? '';
  const homeMount = mounts.find((m) => home.startsWith(`${m.dst}/`));
  t.ok(
    homeMount && existsSync(join(resolve(COMPOSE_DIR, homeMount.src), home.slice(homeMount.dst.length))),
    'the home dashboard exists',
  );
});
