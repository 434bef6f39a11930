/** The `gerbang` command: a thin client of the admin API (tables for people, --json for scripts); it decides nothing the API does not. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiClient, ApiError, Unreachable } from './api-client.js';
import { type CommandGroup, UsageError } from './args.js';
import { agenciesCommands } from './commands/agencies.js';
import { certsCommands } from './commands/certs.js';
import { hostsCommands } from './commands/hosts.js';
import { inventoryCommands, onboardCommands } from './commands/inventory.js';
import { auditCommands, cacheCommands, statusCommands } from './commands/observe.js';
import { reportCommands } from './commands/report.js';
import { tokensCommands } from './commands/tokens.js';
import { exportCommands, importCommands } from './commands/transfer.js';
import { uptimeCommands } from './commands/uptime.js';
import { resolveToken } from './credentials.js';

const EXIT_OK = 0;
const EXIT_API_ERROR = 1;
const EXIT_USAGE = 2;
const EXIT_UNREACHABLE = 3;
const DEFAULT_URL = 'http://127.0.0.1:9180';

const GROUPS: readonly CommandGroup[] = [
  hostsCommands,
  agenciesCommands,
  tokensCommands,
  certsCommands,
  auditCommands,
  statusCommands,
  uptimeCommands,
  reportCommands,
  cacheCommands,
  exportCommands,
  importCommands,
  inventoryCommands,
  onboardCommands,
];

const OPTIONS_HELP = `Options:
  --url <url>      admin API (env GERBANG_ADMIN_URL, default ${DEFAULT_URL})
  --token <token>  bearer token (env GERBANG_TOKEN; on the gateway's machine, with a loopback --url,
                   the admin token in GERBANG_STATE_DIR/admin-token, default ./data)
  --json           print the API's JSON answer as is
  -h, --help       this text; \`gerbang help <command>\` for one command
  --version

Exit codes: 0 done, 1 the API refused (message on stderr), 2 usage error, 3 API unreachable.
`;

function usage(group?: CommandGroup): string {
  const commands = group ? group.usage : GROUPS.map((g) => g.usage).join('');
  const name = group ? `gerbang ${group.name}` : 'gerbang';
  return `${name} — client of the Gerbang admin API\n\nUsage: gerbang <command> [options]\n\n${commands}\n${OPTIONS_HELP}`;
}

/** The version in the package.json beside the code (src/cli or dist/src/cli). */
function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'gerbang' && pkg.version) return pkg.version;
    } catch {
      // not this level
    }
  }
  return 'unknown';
}

const FLAGS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  file: { type: 'string' },
  target: { type: 'string', multiple: true },
  path: { type: 'string' },
  agency: { type: 'string' },
  name: { type: 'string' },
  maintenance: { type: 'string' },
  compression: { type: 'string' },
  message: { type: 'string' },
  until: { type: 'string' },
  'rate-limit': { type: 'string' },
  burst: { type: 'string' },
  exempt: { type: 'string', multiple: true },
  alias: { type: 'string', multiple: true },
  'redirect-to': { type: 'string' },
  redirect: { type: 'string', multiple: true },
  'basic-auth-user': { type: 'string' },
  htpasswd: { type: 'string' },
  'header-set': { type: 'string', multiple: true },
  'header-set-if-absent': { type: 'string', multiple: true },
  'header-remove': { type: 'string', multiple: true },
  'request-header-set': { type: 'string', multiple: true },
  'request-header-set-if-absent': { type: 'string', multiple: true },
  'request-header-remove': { type: 'string', multiple: true },
  'default-headers': { type: 'boolean' },
  'no-default-headers': { type: 'boolean' },
  'error-text': { type: 'string', multiple: true },
  contact: { type: 'string' },
  owns: { type: 'string', multiple: true },
  scope: { type: 'string' },
  note: { type: 'string' },
  expires: { type: 'string' },
  host: { type: 'string' },
  since: { type: 'string' },
  month: { type: 'string' },
  limit: { type: 'string' },
  prefix: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  format: { type: 'string' },
  certificates: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  csv: { type: 'boolean' },
  prune: { type: 'boolean' },
  state: { type: 'string' },
  address: { type: 'string' },
  description: { type: 'string' },
  category: { type: 'string' },
} as const;

function groupNamed(name: string | undefined): CommandGroup | undefined {
  return GROUPS.find((g) => g.name === name);
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof FLAGS }>
  >;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: FLAGS });
  } catch (err) {
    process.stderr.write(`gerbang: ${(err as Error).message}\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`gerbang ${version()}\n`);
    return EXIT_OK;
  }
  const [first, second] = positionals;
  if (first === 'help' || values.help) {
    const topic = first === 'help' ? second : first;
    const group = groupNamed(topic);
    if (topic !== undefined && group === undefined) {
      process.stderr.write(`gerbang: no such command: ${topic}\n\n${usage()}`);
      return EXIT_USAGE;
    }
    process.stdout.write(usage(group));
    return EXIT_OK;
  }
  const group = groupNamed(first);
  if (group === undefined) {
    process.stderr.write(
      `gerbang: ${first ? `unknown command: ${first}` : 'no command given'}\n\n${usage()}`,
    );
    return EXIT_USAGE;
  }
  const url = values.url ?? process.env.GERBANG_ADMIN_URL ?? DEFAULT_URL;
  let apiUrl: URL;
  try {
    apiUrl = new URL(url);
  } catch {
    process.stderr.write(`gerbang: --url ${url} is not a URL\n`);
    return EXIT_USAGE;
  }
  const credentials = resolveToken(values.token, process.env, apiUrl);
  const json = values.json === true;
  try {
    await group.run(second, positionals, { api: new ApiClient(url, credentials.token), json, values });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`gerbang: ${err.message}\n\n${usage(groupNamed(err.group))}`);
      return EXIT_USAGE;
    }
    if (err instanceof Unreachable) {
      process.stderr.write(`gerbang: ${err.message}\n`);
      return EXIT_UNREACHABLE;
    }
    if (err instanceof ApiError) {
      if (json) process.stdout.write(`${JSON.stringify(err.body, null, 2)}\n`);
      const hint = err.status === 401 && credentials.from === 'none' ? ' (set GERBANG_TOKEN or --token)' : '';
      process.stderr.write(`gerbang: ${err.message}${hint}\n`);
      for (const f of err.fields) process.stderr.write(`  ${f.path}: ${f.message}\n`);
      return EXIT_API_ERROR;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gerbang: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
