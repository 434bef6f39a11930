import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { PROMTOOL_BIN } from '../helpers/prometheus.js';

const ALERTS_DIR = join(import.meta.dirname, '..', '..', 'dashboards', 'alerts');
const RULES_FILE = join(ALERTS_DIR, 'gerbang-rules.yaml');
const TESTS_DIR = join(ALERTS_DIR, 'tests');

function promtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync(PROMTOOL_BIN, args, { cwd: ALERTS_DIR, encoding: 'utf8', timeout: 60_000 });
  if (run.error)
    throw new Error(`cannot run ${PROMTOOL_BIN}: ${run.error.message} (run: node tests/system-deps.mjs)`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

interface Rule {
  alert?: string;
  expr: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

t.test('the alert rules pass promtool check rules', async (t) => {
  const check = promtool(['check', 'rules', RULES_FILE]);
  t.equal(check.status, 0, check.output);
});

t.test('the alert rules pass their promtool unit tests, and every alert has one', async (t) => {
  const files = readdirSync(TESTS_DIR).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  t.ok(files.length > 0, 'there are rule unit tests');
  const run = promtool(['test', 'rules', ...files.map((f) => join(TESTS_DIR, f))]);
  t.equal(run.status, 0, run.output);

  const tested = new Set<string>();
  for (const f of files) {
    const doc = parse(readFileSync(join(TESTS_DIR, f), 'utf8')) as {
      tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
    };
    for (const test of doc.tests) {
      for (const a of test.alert_rule_test ?? []) if (a.exp_alerts.length > 0) tested.add(a.alertname);
    }
  }
  const rules = (
    parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ rules: Rule[] }> }
  ).groups.flatMap((g) => g.rules);
  for (const r of rules.filter((r) => r.alert)) {
    t.ok(tested.has(r.alert as string), `${r.alert} has a unit test where it fires`);
    t.ok((r.annotations?.summary ?? '').length > 10, `${r.alert} has a summary`);
    t.ok((r.annotations?.description ?? '').length > 40, `${r.alert} has a description in plain words`);
    t.match(r.labels?.severity ?? '', /^(critical|warning)$/, `${r.alert} has a severity`);
  }
});
