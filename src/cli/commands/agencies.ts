/** `gerbang agencies ...`: list, create or replace, remove (admin tokens only, as the API decides). */
import { type CommandGroup, flag, flags, need, unknownAction } from '../args.js';
import { out, printJson, printList } from '../output.js';

const GROUP = 'agencies';

export const agenciesCommands: CommandGroup = {
  name: GROUP,
  usage: `  agencies ls
  agencies set <id> --name <name> --contact <contact> --owns <host>[,<host>...]
  agencies rm <id>
`,
  async run(action, args, ctx) {
    const enc = encodeURIComponent;
    switch (action ?? 'ls') {
      case 'ls':
        return printList(ctx.json, (await ctx.api.call('GET', '/v1/agencies')).body, 'agencies', [
          'id',
          'name',
          'contact',
          'owns',
        ]);
      case 'set': {
        const id = need(args, 2, '<id>', GROUP);
        const owns = flags(ctx.values, 'owns').flatMap((o) =>
          o
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        const body = { name: flag(ctx.values, 'name'), contact: flag(ctx.values, 'contact'), owns };
        const res = await ctx.api.call('PUT', `/v1/agencies/${enc(id)}`, body);
        return ctx.json
          ? printJson(res.body)
          : out(`${res.status === 201 ? 'created' : 'updated'} agency ${id}\n`);
      }
      case 'rm': {
        const id = need(args, 2, '<id>', GROUP);
        await ctx.api.call('DELETE', `/v1/agencies/${enc(id)}`);
        return ctx.json ? printJson({ deleted: id }) : out(`removed agency ${id}\n`);
      }
      default:
        throw unknownAction(GROUP, action);
    }
  },
};
