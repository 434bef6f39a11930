/** Reads the metric selectors out of PromQL (and Grafana's template syntax) well enough to check dashboards and alerts. */

export interface Selector {
  /** Metric name; '' for a name-less `{__name__=...}` selector. */
  name: string;
  /** The selector as written: name plus its `{...}` matchers, if any. */
  text: string;
}

/** Words that look like identifiers but are operators or modifiers. */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'atan2', 'inf', 'nan', 'start', 'end']);
/** Aggregation operators: `sum by (x) (...)` puts the grouping between the word and its parenthesis. */
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
/** Keywords followed by a parenthesised label list (not a sub-expression). */
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

const isIdentStart = (c: string) => /[a-zA-Z_:]/.test(c);
const isIdent = (c: string) => /[a-zA-Z0-9_:]/.test(c);

function skipString(expr: string, i: number): number {
  const quote = expr[i];
  let j = i + 1;
  while (j < expr.length && expr[j] !== quote) j += expr[j] === '\\' && quote !== '`' ? 2 : 1;
  return j + 1;
}

function skipSpace(expr: string, i: number): number {
  let j = i;
  while (j < expr.length && /\s/.test(expr[j] as string)) j++;
  return j;
}

/** Index just past the bracket closing the one at `i` (strings inside are skipped). */
function skipBalanced(expr: string, i: number, open: string, close: string): number {
  let depth = 0;
  let j = i;
  while (j < expr.length) {
    const c = expr[j] as string;
    if (c === '"' || c === "'" || c === '`') {
      j = skipString(expr, j);
      continue;
    }
    if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
    j++;
  }
  return j;
}

/** Every vector selector of a PromQL expression, in order. */
export function selectorsOf(expr: string): Selector[] {
  const out: Selector[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(expr, i);
    } else if (c === '[') {
      i = skipBalanced(expr, i, '[', ']');
    } else if (c === '{') {
      const end = skipBalanced(expr, i, '{', '}');
      out.push({ name: '', text: expr.slice(i, end) });
      i = end;
    } else if (/[0-9.]/.test(c)) {
      while (i < expr.length && /[0-9a-zA-Z_.]/.test(expr[i] as string)) i++;
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < expr.length && isIdent(expr[i] as string)) i++;
      const word = expr.slice(start, i);
      const next = skipSpace(expr, i);
      if (expr[next] === '(') {
        // A function call goes on into its arguments; a grouping clause is a label list, skipped whole.
        if (GROUPING.has(word)) i = skipBalanced(expr, next, '(', ')');
        continue;
      }
      if (KEYWORDS.has(word) || GROUPING.has(word) || AGGREGATIONS.has(word)) continue;
      if (expr[next] === '{') {
        const end = skipBalanced(expr, next, '{', '}');
        out.push({ name: word, text: expr.slice(start, end) });
        i = end;
      } else {
        out.push({ name: word, text: word });
      }
    } else {
      i++;
    }
  }
  return out;
}

export function metricNamesOf(expr: string): string[] {
  return [...new Set(selectorsOf(expr).map((s) => s.name))].filter((n) => n !== '');
}

/** Grafana's built-in interval variables, as a dashboard would resolve them over a short test. */
const BUILTINS: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '5m',
  __range_s: '300',
};

/** Replaces Grafana variables: built-ins by a duration, dashboard variables by `.*` (the "All" value). */
export function expandGrafanaVariables(expr: string): string {
  return expr.replace(
    /\$\{(\w+)(?::\w+)?\}|\$(\w+)/g,
    (_m, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      return BUILTINS[name] ?? '.*';
    },
  );
}

/** Matchers that use a dashboard variable with an operator other than `=~` (breaks on multi-value and "All"). */
export function nonRegexVariableMatchers(expr: string): string[] {
  const bad: string[] = [];
  for (const m of expr.matchAll(/(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)) {
    const value = m[3] as string;
    const usesDashboardVariable = /\$\{?(?!__)\w+/.test(value);
    if (usesDashboardVariable && m[2] !== '=~') bad.push(m[0]);
  }
  return bad;
}

/** Grafana's `label_values(selector, label)` as the PromQL that returns the same label values. */
export function labelValuesToPromql(query: string): string | undefined {
  const m = /^\s*label_values\(\s*(.+)\s*,\s*(\w+)\s*\)\s*$/.exec(query);
  return m ? `group by (${m[2]}) (${m[1]})` : undefined;
}
