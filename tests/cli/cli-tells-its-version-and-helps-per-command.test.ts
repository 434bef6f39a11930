import { readFile } from 'node:fs/promises';
import t from 'tap';
import { gerbangCli } from '../helpers/cli.js';

t.test('gerbang --version, gerbang help and gerbang help <command>', async (t) => {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  const version = await gerbangCli(['--version'], {});
  t.equal(version.code, 0);
  t.equal(version.stdout, `gerbang ${pkg.version}\n`);

  const help = await gerbangCli(['help'], {});
  t.equal(help.code, 0);
  for (const group of [
    'hosts ls',
    'agencies set',
    'tokens create',
    'certs upload',
    'audit',
    'status',
    'cache purge',
  ]) {
    t.match(help.stdout, group, `the overview lists ${group}`);
  }
  const hosts = await gerbangCli(['help', 'hosts'], {});
  t.equal(hosts.code, 0);
  t.match(hosts.stdout, /hosts maintenance <host> on\|off/);
  t.notMatch(hosts.stdout, /tokens create/, 'one command’s help shows that command');
  t.equal(
    (await gerbangCli(['certs', '--help'], {})).stdout.includes('certs renew <host>'),
    true,
    '--help after a command',
  );
  const unknown = await gerbangCli(['help', 'frobnicate'], {});
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /no such command: frobnicate/);
});
