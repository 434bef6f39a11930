/** `gerbang tokens ...`: list, issue (the secret printed once), revoke. */
import { type CommandGroup, flag, need, unknownAction } from '../args.js';
import { out, printJson, printList } from '../output.js';

const GROUP = 'tokens';

export const tokensCommands: CommandGroup = {
  name: GROUP,
  usage: `  tokens ls
  tokens create --scope admin|agency:<id> --note <text> [--expires <ISO date>]
  tokens rm <id>
`,
  async run(action, args, ctx) {
    switch (action ?? 'ls') {
      case 'ls':
        return printList(ctx.json, (await ctx.api.call('GET', '/v1/tokens')).body, 'tokens', [
          'id',
          'scope',
          'note',
          'createdAt',
          'expiresAt',
        ]);
      case 'create': {
        const expires = flag(ctx.values, 'expires');
        const body = {
          scope: flag(ctx.values, 'scope'),
          note: flag(ctx.values, 'note'),
          ...(expires ? { expiresAt: expires } : {}),
        };
        const res = await ctx.api.call('POST', '/v1/tokens', body);
        if (ctx.json) return printJson(res.body);
        const token = res.body as { id: string; scope: string; secret: string };
        process.stderr.write('The secret is shown once; store it now.\n');
        return out(`id:     ${token.id}\nscope:  ${token.scope}\nsecret: ${token.secret}\n`);
      }
      case 'rm': {
        const id = need(args, 2, '<id>', GROUP);
        await ctx.api.call('DELETE', `/v1/tokens/${encodeURIComponent(id)}`);
        return ctx.json ? printJson({ revoked: id }) : out(`revoked ${id}\n`);
      }
      default:
        throw unknownAction(GROUP, action);
    }
  },
};
