import t from 'tap';
import {
  expandGrafanaVariables,
  labelValuesToPromql,
  metricNamesOf,
  nonRegexVariableMatchers,
  selectorsOf,
} from '../helpers/promql.js';

t.test('the metric selectors of an expression are found, and nothing else', async (t) => {
  t.same(
    selectorsOf(
      'histogram_quantile(0.95, sum by (host, le) (rate(gerbang_request_duration_seconds_bucket{host=~"$host", le!="+Inf"}[$__rate_interval])))',
    ).map((s) => s.text),
    ['gerbang_request_duration_seconds_bucket{host=~"$host", le!="+Inf"}'],
  );
  t.same(
    metricNamesOf(
      '(sum(rate(a_total{code="5xx"}[5m])) or vector(0)) / on (host) group_left (agency) b_total > 0.05 and bool c offset 5m',
    ),
    ['a_total', 'b_total', 'c'],
  );
  t.same(metricNamesOf('(x_seconds - time()) < 14 * 86400 or y < -1e3'), ['x_seconds', 'y']);
  t.same(
    metricNamesOf('sum(rate(z{a="by (x) or and"}[1m])) without (instance)'),
    ['z'],
    'strings and label lists are skipped',
  );
  t.same(
    selectorsOf('{__name__="up"}').map((s) => s.name),
    [''],
  );
});

t.test('Grafana variables expand to what a dashboard would send', async (t) => {
  t.equal(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JS template
    expandGrafanaVariables('rate(m{host=~"$host", agency=~"${agency}"}[$__rate_interval]) [$__range]'),
    'rate(m{host=~".*", agency=~".*"}[1m]) [5m]',
  );
  t.same(nonRegexVariableMatchers('m{host="$host", agency=~"$agency", code="5xx"}'), ['host="$host"']);
  t.equal(
    labelValuesToPromql('label_values(m{agency=~"$agency"}, host)'),
    'group by (host) (m{agency=~"$agency"})',
  );
  t.equal(labelValuesToPromql('up'), undefined);
});
