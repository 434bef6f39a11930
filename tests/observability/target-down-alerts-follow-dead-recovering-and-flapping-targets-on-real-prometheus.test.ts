import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { parse } from 'yaml';
import { resolveUpstreamConfig } from '../../src/config/upstream-config.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { type SeriesResult, startPrometheus } from '../helpers/prometheus.js';
import { switchableBackend } from '../helpers/switchable-backend.js';
import { waitFor } from '../helpers/wait-for.js';

const RULES_FILE = join(import.meta.dirname, '..', '..', 'dashboards', 'alerts', 'gerbang-rules.yaml');

/** The expression of an alert rule, read from the rules file (so the test checks what operators deploy). */
function alertExpr(name: string): string {
  const doc = parse(readFileSync(RULES_FILE, 'utf8')) as {
    groups: Array<{ rules: Array<{ alert?: string; expr: string }> }>;
  };
  const rule = doc.groups.flatMap((g) => g.rules).find((r) => r.alert === name);
  if (rule === undefined) throw new Error(`no alert ${name} in ${RULES_FILE}`);
  return rule.expr;
}

t.test(
  'on a real Prometheus, the every-backend-down alert holds a dead host, lets a recovered one go, and a flapping one is caught',
  async (t) => {
    const dead = await switchableBackend();
    const recovering = await switchableBackend();
    const flapping = await switchableBackend();
    await flapping.up();
    t.teardown(async () => {
      await recovering.down();
      await flapping.down();
    });
    const gw = await startTestGateway({
      config: {
        upstream: resolveUpstreamConfig({
          passive: { ejectBaseMs: 150, ejectMaxMs: 600 },
          breaker: { probes: 2 },
        }),
      },
    });
    t.teardown(() => gw.stop());
    const hosts = {
      dead: 'mati.paserkab.go.id',
      recovering: 'pulih.paserkab.go.id',
      flapping: 'kedip.paserkab.go.id',
    };
    await gw.admin('PUT', `/v1/hosts/${hosts.dead}`, simpleHost(dead.origin));
    await gw.admin('PUT', `/v1/hosts/${hosts.recovering}`, simpleHost(recovering.origin));
    await gw.admin('PUT', `/v1/hosts/${hosts.flapping}`, simpleHost(flapping.origin));

    const prometheus = await startPrometheus({
      jobs: [{ job: 'gerbang', targets: [`127.0.0.1:${gw.gateway.ports.admin}`] }],
      ruleFiles: [RULES_FILE],
    });
    t.teardown(() => prometheus.stop());
    await prometheus.waitForScrape();

    // Citizens keep asking every host, a few times a second, for the whole test (bounded in time).
    let traffic = true;
    const began = Date.now();
    const load = (async () => {
      while (traffic && Date.now() - began < 60_000) {
        await Promise.all(Object.values(hosts).map((host) => http(`${gw.url}/`, { host, timeoutMs: 5_000 })));
        await sleep(100);
      }
    })();
    // The flapping backend: 2 s away, 2 s back, over and over.
    const flaps = (async () => {
      while (traffic && Date.now() - began < 60_000) {
        await sleep(2_000);
        if (flapping.listening) await flapping.down();
        else await flapping.up();
      }
    })();
    t.teardown(async () => {
      traffic = false;
      await Promise.all([load, flaps]);
    });

    const hostsOf = async (expr: string) =>
      ((await prometheus.query(expr)).data?.result as SeriesResult[] | undefined)?.map(
        (r) => r.metric.host,
      ) ?? [];
    const allDown = alertExpr('GerbangHostAllTargetsDown');
    const pending = 'ALERTS{alertname="GerbangHostAllTargetsDown"}';

    // Well past several ejection periods and scrapes: the dead and the not-yet-recovered host stay in the alert.
    await sleep(4_000);
    const downNow = await hostsOf(allDown);
    t.ok(downNow.includes(hosts.dead), `the dead host is in the alert expression: ${downNow}`);
    t.ok(downNow.includes(hosts.recovering), `so is the one not back yet: ${downNow}`);
    const over4s = await hostsOf(`max by (host) (max_over_time(gerbang_target_up[3s])) == 0`);
    t.ok(over4s.includes(hosts.dead), `no scrape saw the dead host up in the last 3 s: ${over4s}`);
    t.ok((await hostsOf(pending)).includes(hosts.dead), 'the alert is pending for the dead host');

    await recovering.up();
    await waitFor(
      'the recovered host to leave the alert',
      async () => !(await hostsOf(allDown)).includes(hosts.recovering),
      10_000,
      250,
    );
    await waitFor(
      'its pending alert to go',
      async () => !(await hostsOf(pending)).includes(hosts.recovering),
      10_000,
      250,
    );
    t.ok((await hostsOf(allDown)).includes(hosts.dead), 'the dead host is still in it');

    // Let the flapping one go down and up a few times, each seen by Prometheus.
    await waitFor(
      'the flapping alert to fire for the flapping host',
      async () => (await hostsOf(alertExpr('GerbangTargetFlapping'))).includes(hosts.flapping),
      20_000,
      500,
    );
    const flappers = await hostsOf(alertExpr('GerbangTargetFlapping'));
    t.same(
      flappers,
      [hosts.flapping],
      'only the flapping host: the dead and the recovered one changed once or twice',
    );
    const seen = await hostsOf(`min_over_time(gerbang_target_up{host="${hosts.flapping}"}[10s]) == 0`);
    t.same(seen, [hosts.flapping], 'its down spells reach Prometheus as 0');
  },
);
