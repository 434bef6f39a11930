/** `gerbang inventory ...` and `gerbang onboard <url>`: every agency's services, and probing a legacy portal before it moves. */
import { type CommandGroup, flag, need, unknownAction } from '../args.js';
import { out, printJson, printList } from '../output.js';

const GROUP = 'inventory';

export const inventoryCommands: CommandGroup = {
  name: GROUP,
  usage: `  inventory ls
  inventory set <id> --state reported|migrating|live|retired [--agency <id>] [--name <name>]
                [--address <current url>] [--description <text>] [--category <text>] [--contact <text>]
                [--host <host>]   (a live entry gives only --host: it shows the host's app info)
  inventory rm <id>
`,
  async run(action, args, ctx) {
    const enc = encodeURIComponent;
    switch (action ?? 'ls') {
      case 'ls':
        return printList(ctx.json, (await ctx.api.call('GET', '/v1/inventory')).body, 'entries', [
          'id',
          'agency',
          'state',
          'name',
          'url',
        ]);
      case 'set': {
        const id = need(args, 2, '<id>', GROUP);
        const fields: Record<string, string | undefined> = {
          state: flag(ctx.values, 'state'),
          agency: flag(ctx.values, 'agency'),
          name: flag(ctx.values, 'name'),
          url: flag(ctx.values, 'address'),
          description: flag(ctx.values, 'description'),
          category: flag(ctx.values, 'category'),
          contact: flag(ctx.values, 'contact'),
          host: flag(ctx.values, 'host'),
        };
        const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        const res = await ctx.api.call('PUT', `/v1/inventory/${enc(id)}`, body);
        return ctx.json
          ? printJson(res.body)
          : out(`${res.status === 201 ? 'created' : 'updated'} inventory entry ${id}\n`);
      }
      case 'rm': {
        const id = need(args, 2, '<id>', GROUP);
        await ctx.api.call('DELETE', `/v1/inventory/${enc(id)}`);
        return ctx.json ? printJson({ deleted: id }) : out(`removed inventory entry ${id}\n`);
      }
      default:
        throw unknownAction(GROUP, action);
    }
  },
};

interface OnboardAnswer {
  probe: {
    reachable: boolean;
    error?: string;
    finalUrl?: string;
    status?: number;
    redirects: Array<{ url: string; status: number; location?: string }>;
    certificate?: { valid: boolean; validTo?: string; daysLeft?: number; error?: string };
    versionLeaks: string[];
    title?: string;
    cache: Record<string, string>;
    responseMs?: number;
  };
  proposal: { host: string; document: unknown; notes: string[] };
}

export const onboardCommands: CommandGroup = {
  name: 'onboard',
  usage: `  onboard <url> [--host <host>] [--agency <id>]
                probe a legacy portal; prints what it found and the host document to register it
`,
  async run(action, _args, ctx) {
    if (!action) throw unknownAction('onboard', action);
    const body: Record<string, string> = { url: action };
    const host = flag(ctx.values, 'host');
    const agency = flag(ctx.values, 'agency');
    if (host !== undefined) body.host = host;
    if (agency !== undefined) body.agency = agency;
    const res = await ctx.api.call('POST', '/v1/onboard', body);
    if (ctx.json) return printJson(res.body);
    const { probe, proposal } = res.body as OnboardAnswer;
    const lines = [
      `reachable:   ${probe.reachable ? 'yes' : `no${probe.error ? ` (${probe.error})` : ''}`}`,
      ...probe.redirects.map((r) => `redirect:    ${r.status} ${r.url} -> ${r.location ?? ''}`),
      ...(probe.status !== undefined ? [`status:      ${probe.status} ${probe.finalUrl ?? ''}`] : []),
      ...(probe.responseMs !== undefined ? [`time:        ${probe.responseMs} ms`] : []),
      ...(probe.title !== undefined ? [`title:       ${probe.title}`] : []),
      ...(probe.certificate
        ? [
            `certificate: ${probe.certificate.valid ? 'valid' : `not trusted (${probe.certificate.error ?? '?'})`}${probe.certificate.validTo ? `, until ${probe.certificate.validTo} (${probe.certificate.daysLeft} days)` : ''}`,
          ]
        : []),
      ...probe.versionLeaks.map((l) => `leaks:       ${l}`),
      `cache:       ${
        Object.entries(probe.cache)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ') || '(none)'
      }`,
      ...proposal.notes.map((n) => `note:        ${n}`),
      '',
      `proposed host ${proposal.host} (gerbang hosts set ${proposal.host} --file <this JSON>):`,
      JSON.stringify(proposal.document, null, 2),
    ];
    return out(`${lines.join('\n')}\n`);
  },
};
