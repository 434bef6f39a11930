/** `gerbang uptime`: a month's uptime per service and per agency, with the incidents, from GET /v1/uptime. */
import { type CommandGroup, flag } from '../args.js';
import { out, printJson, table } from '../output.js';

interface UptimeBody {
  month: string;
  services: Array<{
    host: string;
    agency?: string;
    uptimePercent: number;
    downtimeSeconds: number;
    incidents: Array<{ start: string; end?: string; durationSeconds: number; cause: string }>;
  }>;
  agencies: Array<{ agency: string; uptimePercent: number; downtimeSeconds: number; hosts: number }>;
}

export const uptimeCommands: CommandGroup = {
  name: 'uptime',
  usage: `  uptime [--month YYYY-MM] [--host <host>] [--agency <id>]   monthly uptime and incidents
`,
  async run(_action, _args, ctx) {
    const query = new URLSearchParams();
    for (const name of ['month', 'host', 'agency']) {
      const value = flag(ctx.values, name);
      if (value !== undefined) query.set(name, value);
    }
    const qs = query.size > 0 ? `?${query}` : '';
    const { body } = await ctx.api.call('GET', `/v1/uptime${qs}`);
    if (ctx.json) return printJson(body);
    const b = body as UptimeBody;
    out(`Uptime ${b.month} (UTC)\n`);
    out(
      table(
        b.services.map((s) => ({ ...s, incidents: s.incidents.length })),
        ['host', 'agency', 'uptimePercent', 'downtimeSeconds', 'incidents'],
      ),
    );
    out('\nPer agency\n');
    out(table(b.agencies, ['agency', 'uptimePercent', 'downtimeSeconds', 'hosts']));
    const incidents = b.services.flatMap((s) =>
      s.incidents.map((i) => ({ host: s.host, ...i, end: i.end ?? '(still down)' })),
    );
    if (incidents.length > 0) {
      out('\nIncidents\n');
      out(table(incidents, ['host', 'start', 'end', 'durationSeconds', 'cause']));
    }
  },
};
