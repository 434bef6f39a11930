/** `gerbang report usage`: a month's usage per agency and host from GET /v1/reports/usage, as a table, JSON or the CSV as is. */
import { type CommandGroup, flag, unknownAction } from '../args.js';
import { out, printJson, table } from '../output.js';

interface UsageBody {
  month: string;
  hosts: Array<Record<string, unknown>>;
  agencies: Array<Record<string, unknown>>;
}

const COLUMNS = [
  'requests',
  'bytesSent',
  'bytesSavedByCache',
  'bytesSavedByCompression',
  'cacheHitRatio',
  'errors5xx',
  'upstreamFailures',
  'p95UpstreamMs',
];

export const reportCommands: CommandGroup = {
  name: 'report',
  usage: `  report usage [--month YYYY-MM] [--agency <id>] [--csv]   usage per agency and host (CSV for the budget sheet)
`,
  async run(action, _args, ctx) {
    if (action !== 'usage') throw unknownAction('report', action);
    const query = new URLSearchParams();
    for (const name of ['month', 'agency']) {
      const value = flag(ctx.values, name);
      if (value !== undefined) query.set(name, value);
    }
    if (ctx.values.csv === true) query.set('format', 'csv');
    const qs = query.size > 0 ? `?${query}` : '';
    const { body } = await ctx.api.call('GET', `/v1/reports/usage${qs}`);
    if (ctx.values.csv === true) return out(String(body));
    if (ctx.json) return printJson(body);
    const b = body as UsageBody;
    out(`Usage ${b.month} (UTC)\n`);
    out(table(b.hosts, ['agency', 'host', ...COLUMNS]));
    out('\nPer agency\n');
    out(table(b.agencies, ['agency', ...COLUMNS]));
  },
};
