/** `gerbang certs ...`: the certificates Gerbang serves, uploading a bought one, renewing now. */
import { readFileSync } from 'node:fs';
import { type CommandGroup, flag, need, UsageError, unknownAction } from '../args.js';
import { out, printJson, printList } from '../output.js';

const GROUP = 'certs';

function readPem(file: string | undefined, what: string): string {
  if (file === undefined) throw new UsageError(`certs upload needs --${what} <file.pem>`, GROUP);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--${what} ${file}: ${(err as Error).message}`, GROUP);
  }
}

export const certsCommands: CommandGroup = {
  name: GROUP,
  usage: `  certs ls                               certificates and when they expire
  certs upload <host> --cert <chain.pem> --key <key.pem>
                                         a bought certificate (the chain after the leaf)
  certs renew <host>                     order a new ACME certificate now
`,
  async run(action, args, ctx) {
    const enc = encodeURIComponent;
    switch (action ?? 'ls') {
      case 'ls':
        return printList(ctx.json, (await ctx.api.call('GET', '/v1/certificates')).body, 'certificates', [
          'host',
          'source',
          'names',
          'issuer',
          'notAfter',
        ]);
      case 'upload': {
        const host = need(args, 2, '<host>', GROUP);
        const body = {
          certificate: readPem(flag(ctx.values, 'cert'), 'cert'),
          key: readPem(flag(ctx.values, 'key'), 'key'),
        };
        const res = await ctx.api.call('PUT', `/v1/certificates/${enc(host)}`, body);
        return ctx.json ? printJson(res.body) : out(`uploaded the certificate of ${host}\n`);
      }
      case 'renew': {
        const host = need(args, 2, '<host>', GROUP);
        const res = await ctx.api.call('POST', `/v1/certificates/${enc(host)}/renew`);
        return ctx.json ? printJson(res.body) : out(`renewal of ${host} ordered\n`);
      }
      default:
        throw unknownAction(GROUP, action);
    }
  },
};
