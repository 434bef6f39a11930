/** `gerbang export` and `gerbang import <file>`: the configuration as a file (YAML or JSON), to review, keep in git, or restore. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type CommandContext, type CommandGroup, flag, UsageError } from '../args.js';
import { out, printJson } from '../output.js';

interface ReportLine {
  kind: string;
  name: string;
  agency?: string;
  action: string;
  fields?: string[];
  reason?: string;
}

interface Report {
  dryRun: boolean;
  applied: boolean;
  changes: ReportLine[];
  summary: Record<string, number>;
}

const SIGN: Record<string, string> = { create: '+', change: '~', remove: '-', skipped: '!' };

function printReport(report: Report): void {
  for (const c of report.changes) {
    const sign = SIGN[c.action];
    if (sign === undefined) continue;
    const owner = c.agency ? ` (${c.agency})` : '';
    const detail = c.fields?.length ? `: ${c.fields.join(', ')}` : c.reason ? `: ${c.reason}` : '';
    out(`${sign} ${c.kind} ${c.name}${owner}${detail}\n`);
  }
  const s = report.summary;
  const counts = `${s.create ?? 0} to create, ${s.change ?? 0} to change, ${s.remove ?? 0} to remove, ${s.unchanged ?? 0} unchanged`;
  out(
    report.dryRun ? `dry run, nothing applied: ${counts}\n` : `imported: ${counts.replaceAll(' to ', ' ')}\n`,
  );
}

function bool(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true;
}

export const exportCommands: CommandGroup = {
  name: 'export',
  usage: `  export [--format yaml|json] [--certificates] > file
                                         the configuration (agencies, hosts); --certificates adds
                                         uploaded certificates WITH private keys (admin, audited)
`,
  async run(action, _args, ctx) {
    if (action !== undefined) throw new UsageError(`export takes no argument (got ${action})`, 'export');
    const format = flag(ctx.values, 'format') ?? 'json';
    if (format !== 'yaml' && format !== 'json') throw new UsageError('--format is yaml or json', 'export');
    const query = `?format=${format}${bool(ctx, 'certificates') ? '&certificates=true' : ''}`;
    const res = await ctx.api.call('GET', `/v1/export${query}`);
    if (typeof res.body === 'string') return out(res.body.endsWith('\n') ? res.body : `${res.body}\n`);
    return printJson(res.body);
  },
};

export const importCommands: CommandGroup = {
  name: 'import',
  usage: `  import <file> [--dry-run] [--prune]    apply an exported file, all or nothing; --dry-run shows the
                                         difference only; --prune also removes what the file omits
`,
  async run(file, _args, ctx) {
    if (file === undefined) throw new UsageError('import needs <file> (YAML or JSON)', 'import');
    let doc: unknown;
    try {
      // YAML is a superset of JSON: one parser reads both.
      doc = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`${file}: ${(err as Error).message}`, 'import');
    }
    const query = new URLSearchParams();
    if (bool(ctx, 'dry-run')) query.set('dryRun', 'true');
    if (bool(ctx, 'prune')) query.set('prune', 'true');
    const qs = query.size > 0 ? `?${query}` : '';
    const res = await ctx.api.call('POST', `/v1/import${qs}`, doc);
    return ctx.json ? printJson(res.body) : printReport(res.body as Report);
  },
};
