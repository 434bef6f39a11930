import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as acme from 'acme-client';
import t from 'tap';
import { parse } from 'yaml';
import { startBackend } from '../helpers/backend.js';
import { freePort } from '../helpers/free-port.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { type SeriesResult, startPrometheus } from '../helpers/prometheus.js';
import {
  expandGrafanaVariables,
  labelValuesToPromql,
  metricNamesOf,
  nonRegexVariableMatchers,
  selectorsOf,
} from '../helpers/promql.js';
import { createTestCa } from '../helpers/test-ca.js';

/**
 * Metrics the dashboards and alerts already use that Gerbang does not export yet: the cache, certificate and
 * health-check work export them. Their expressions must parse; they need not return data. This list must only
 * shrink: the test fails when a name on it is exported (take it off, and make the traffic below produce it).
 * "Exported" means the test gateway's /metrics has samples of it after the traffic below: a family that is
 * declared but never set shows nothing on a dashboard. (A labelled counter such as renewal failures should be
 * set to 0 per host when the host is registered, so it has samples before the first failure.)
 */
export const METRICS_NOT_YET_EXPORTED: readonly string[] = [];

/** Series Prometheus writes itself for each scrape target (not Gerbang's). */
const PROMETHEUS_OWN_METRICS: readonly string[] = ['up'];

/** The job name the dashboards and alerts expect (deploy/prometheus.yml uses the same). */
const JOB = 'gerbang';

const REPO = join(import.meta.dirname, '..', '..');
const DASHBOARD_DIR = join(REPO, 'dashboards');
const RULES_FILE = join(DASHBOARD_DIR, 'alerts', 'gerbang-rules.yaml');
const EXPECTED_DASHBOARDS = ['gerbang-agency', 'gerbang-certificates', 'gerbang-overview'];

interface Expression {
  where: string;
  expr: string;
  kind: 'panel' | 'variable' | 'alert';
}

interface Panel {
  title?: string;
  type?: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr?: string; datasource?: { uid?: string } }>;
  panels?: Panel[];
}

interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: string | { query?: string } }> };
}

function loadDashboards(): Dashboard[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(DASHBOARD_DIR, f), 'utf8')) as Dashboard);
}

function flatPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...flatPanels(p.panels ?? [])]);
}

function expressionsOf(dashboards: Dashboard[]): Expression[] {
  const out: Expression[] = [];
  for (const d of dashboards) {
    for (const p of flatPanels(d.panels)) {
      for (const [i, target] of (p.targets ?? []).entries()) {
        if (target.expr)
          out.push({ where: `${d.uid} / "${p.title}" #${i}`, expr: target.expr, kind: 'panel' });
      }
    }
    for (const v of d.templating.list) {
      if (v.type !== 'query') continue;
      const q = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
      out.push({ where: `${d.uid} / variable $${v.name}`, expr: q, kind: 'variable' });
    }
  }
  const rules = parse(readFileSync(RULES_FILE, 'utf8')) as {
    groups: Array<{ rules: Array<{ alert?: string; expr: string }> }>;
  };
  for (const g of rules.groups) {
    for (const r of g.rules) out.push({ where: `alert ${r.alert}`, expr: r.expr, kind: 'alert' });
  }
  return out;
}

/** Metric families declared in a /metrics text (TYPE lines), with their type. */
function declaredFamilies(text: string): Map<string, string> {
  const families = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(m[1] as string, m[2] as string);
  return families;
}

/** Sample names that have at least one sample in a /metrics text. */
function sampledNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/gm)) names.add(m[1] as string);
  return names;
}

/** The family a sample name belongs to: `x_bucket` → `x` when `x` is a histogram. */
function familyOf(name: string, families: Map<string, string>): string | undefined {
  if (families.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  if (m && ['histogram', 'summary'].includes(families.get(m[1] as string) ?? '')) return m[1];
  return undefined;
}

const resultOf = (answer: { data?: { result: unknown } }) => (answer.data?.result ?? []) as SeriesResult[];

t.test(
  'every dashboard panel, variable and alert expression runs on a real Prometheus scraping Gerbang',
  async (t) => {
    const page = 'x'.repeat(2048);
    const backend = await startBackend((req, res) => {
      if (req.url?.startsWith('/slow')) {
        setTimeout(() => res.end('late'), 50);
        return;
      }
      // A defaced page (issue 18), so that the defacement watch counts a finding.
      if (req.url === '/defaced') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><title>Slot gacor maxwin</title><p>rtp live, scatter hitam</p></html>');
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/html',
        'content-length': page.length,
        // Cacheable, so the cache (once there) answers the repeated GETs below with hits.
        'cache-control': 'public, max-age=300',
        etag: '"v1"',
      });
      res.end(page);
    });
    const closedPort = await freePort();
    // ACME pointed at a CA that is not there: orders fail for real (at once: acme-client's retries cut to one),
    // so renewal failures are counted.
    const axiosDefaults = acme.axios.defaults as typeof acme.axios.defaults & {
      acmeSettings: { retryMaxAttempts: number; retryDefaultDelay: number };
    };
    axiosDefaults.acmeSettings.retryMaxAttempts = 1;
    axiosDefaults.acmeSettings.retryDefaultDelay = 1;
    const gw = await startTestGateway({
      env: {
        GERBANG_ACME_DIRECTORY: `http://127.0.0.1:${await freePort()}/dir`,
        GERBANG_ACME_EMAIL: 'ops@paserkab.go.id',
      },
    });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    t.equal(
      (
        await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
          agency: 'dinkes',
          ...simpleHost(backend.origin),
        })
      ).status,
      201,
    );
    t.equal(
      (
        await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', {
          agency: 'disdik',
          ...simpleHost(`http://127.0.0.1:${closedPort}`),
        })
      ).status,
      201,
    );

    // An uploaded certificate, so expiry dates are exported.
    const ca = await createTestCa();
    t.equal(
      (
        await gw.admin(
          'PUT',
          '/v1/certificates/dinkes.paserkab.go.id',
          await ca.issue(['dinkes.paserkab.go.id']),
        )
      ).status,
      201,
    );

    const prometheus = await startPrometheus({
      jobs: [{ job: JOB, targets: [`127.0.0.1:${gw.gateway.ports.admin}`] }],
      ruleFiles: [RULES_FILE],
    });
    t.teardown(() => prometheus.stop());
    await prometheus.waitForScrape();

    // Traffic over several scrapes, so rate() sees counters rise: pages (repeated: cache hits), uploads,
    // a dead backend (5xx, upstream errors), an unknown host (4xx).
    for (let round = 0; round < 8; round++) {
      const sent = [
        http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' }),
        http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' }),
        http(`${gw.url}/slow`, { host: 'dinkes.paserkab.go.id' }),
        http(`${gw.url}/form`, { method: 'POST', host: 'dinkes.paserkab.go.id', body: 'nama=budi' }),
        http(`${gw.url}/`, { host: 'disdik.paserkab.go.id' }),
        http(`${gw.url}/`, { host: 'tidak-terdaftar.example.com' }),
      ];
      const statuses = (await Promise.all(sent)).map((r) => r.status);
      if (round === 0)
        t.same(statuses, [200, 200, 200, 200, 502, 404], 'the traffic mix answers as intended');
      await new Promise((r) => setTimeout(r, 400));
    }
    t.equal(
      (await http(`${gw.url}/defaced`, { host: 'dinkes.paserkab.go.id' })).status,
      200,
      'a defaced page',
    );
    // Two more scrapes after the last request.
    await new Promise((r) => setTimeout(r, 2500));

    const metricsText = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    const families = declaredFamilies(metricsText);
    const sampledFamilies = new Set(
      [...sampledNames(metricsText)].map((n) => familyOf(n, families)).filter((f) => f !== undefined),
    );
    // Exported = has samples; a sample name like x_bucket counts when its family x has samples.
    const isExported = (name: string) => {
      const family = familyOf(name, families);
      return family !== undefined && sampledFamilies.has(family);
    };
    const hasData = (name: string) => isExported(name) || PROMETHEUS_OWN_METRICS.includes(name);

    t.test('the list of metrics not yet exported only holds metrics that are really missing', async (t) => {
      for (const name of METRICS_NOT_YET_EXPORTED) {
        t.notOk(isExported(name), `${name} is exported now: remove it from METRICS_NOT_YET_EXPORTED`);
      }
    });

    const dashboards = loadDashboards();
    t.test('the dashboards are the three expected, with stable uids and a datasource variable', async (t) => {
      t.same(dashboards.map((d) => d.uid).sort(), EXPECTED_DASHBOARDS);
      for (const d of dashboards) {
        t.ok(
          d.templating.list.some((v) => v.type === 'datasource' && v.name === 'datasource'),
          `${d.uid} has a datasource variable`,
        );
        for (const p of flatPanels(d.panels).filter((p) => p.type !== 'row')) {
          const uids = [p.datasource?.uid, ...(p.targets ?? []).map((x) => x.datasource?.uid)];
          t.ok(
            // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
            uids.every((u) => u === '${datasource}'),
            `${d.uid} / "${p.title}" uses the datasource variable, not a fixed datasource`,
          );
        }
      }
    });

    const expressions = expressionsOf(dashboards);
    t.ok(expressions.filter((e) => e.kind === 'alert').length >= 7, 'the alert rules were read');

    t.test('every expression names only metrics Gerbang exports (or ones on the not-yet list)', async (t) => {
      for (const e of expressions) {
        const expr = e.kind === 'variable' ? (labelValuesToPromql(e.expr) ?? e.expr) : e.expr;
        const names = metricNamesOf(expr);
        t.ok(names.length > 0, `${e.where} names a metric`);
        for (const name of names) {
          t.ok(
            hasData(name) || METRICS_NOT_YET_EXPORTED.includes(name),
            `${e.where}: ${name} is neither exported by Gerbang nor listed in METRICS_NOT_YET_EXPORTED`,
          );
        }
        t.same(nonRegexVariableMatchers(expr), [], `${e.where} matches dashboard variables with =~ only`);
      }
    });

    t.test('every expression parses and, where its metrics are exported, returns data', async (t) => {
      for (const e of expressions) {
        const promql = expandGrafanaVariables(
          e.kind === 'variable' ? (labelValuesToPromql(e.expr) ?? '') : e.expr,
        );
        const answer = await prometheus.query(promql);
        t.equal(answer.status, 'success', `${e.where} runs: ${answer.error ?? ''}\n  ${promql}`);
        const exported = metricNamesOf(promql).every(hasData);
        if (!exported) continue;
        if (e.kind === 'alert') {
          // An alert expression is empty while it does not fire: each of its selectors must find series instead.
          for (const s of selectorsOf(promql)) {
            const series = resultOf(await prometheus.query(s.text));
            t.ok(series.length > 0, `${e.where}: the selector ${s.text} finds series`);
          }
        } else {
          t.ok(resultOf(answer).length > 0, `${e.where} returns data:\n  ${promql}`);
        }
      }
    });

    t.test('Prometheus loaded every alert rule and evaluates it without error', async (t) => {
      const deadline = Date.now() + 10_000;
      let rules = await prometheus.rules();
      while (rules.some((r) => r.health === 'unknown') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        rules = await prometheus.rules();
      }
      const alerts = expressions.filter((e) => e.kind === 'alert').map((e) => e.where.replace('alert ', ''));
      t.same(rules.map((r) => r.name).sort(), [...alerts].sort());
      for (const r of rules) t.equal(r.health, 'ok', `${r.name} evaluates: ${r.lastError ?? ''}`);
    });

    t.test('the traffic shows in the numbers the overview is built on', async (t) => {
      const value = async (expr: string) =>
        Number(resultOf(await prometheus.query(expr))[0]?.value?.[1] ?? Number.NaN);
      t.equal(await value('sum(gerbang_requests_total{host="unknown", code="4xx"})'), 8);
      t.equal(
        await value('sum(gerbang_requests_total{host="disdik.paserkab.go.id", agency="disdik", code="5xx"})'),
        8,
      );
      // After a refusal the target is skipped for a while, so later requests may fail without trying it.
      t.ok(
        (await value('sum(gerbang_upstream_errors_total{host="disdik.paserkab.go.id", reason="refused"})')) >=
          1,
      );
      t.ok((await value('sum(gerbang_response_bytes_total{agency="dinkes"})')) >= 16 * page.length);
      t.ok((await value('sum(rate(gerbang_requests_total[1m]))')) > 0, 'rates are non-zero');
    });
  },
);
