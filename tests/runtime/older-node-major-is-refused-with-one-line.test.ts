import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { nodeVersionRefusal, REQUIRED_NODE_MAJOR } from '../../src/runtime/require-node.js';

const ROOT = join(import.meta.dirname, '..', '..');

t.test('a Node.js major older than the pinned one gets one line naming both versions', async (t) => {
  const refusal = nodeVersionRefusal('20.20.2', 'gerbang');
  t.ok(refusal, 'refused');
  t.match(refusal, `Node.js ${REQUIRED_NODE_MAJOR} or newer is required, this is 20.20.2`);
  t.equal(refusal?.split('\n').filter(Boolean).length, 1, 'one line');
  t.equal(nodeVersionRefusal('22.21.1', 'gerbang') !== undefined, true, 'Node 22 refused too');
  t.equal(nodeVersionRefusal(`${REQUIRED_NODE_MAJOR}.0.0`, 'gerbang'), undefined, 'the pinned major starts');
  t.equal(nodeVersionRefusal('26.1.0', 'gerbang'), undefined, 'a newer major starts');
});

t.test(
  'the test suite itself runs on the pinned major (npm puts the npm-installed Node first)',
  async (t) => {
    t.equal(Number(process.versions.node.split('.')[0]), REQUIRED_NODE_MAJOR);
  },
);

// The machines come with Node 20 in /usr/bin: starting the gateway with it must stop before anything else runs.
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
  if (!existsSync(path)) return false;
  const major = Number(spawnSync(path, ['-p', 'process.versions.node.split(".")[0]']).stdout.toString());
  return major < REQUIRED_NODE_MAJOR;
});

t.test('the server and the CLI started on an older Node.js stop with that one line', async (t) => {
  if (systemNode === undefined) {
    t.comment('no older Node.js on this machine; the message itself is checked above');
    return;
  }
  for (const entry of ['src/main.ts', 'src/cli/main.ts']) {
    const run = spawnSync(systemNode, ['--import', 'tsx', entry, '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    t.equal(run.status, 1, `${entry}: exit status 1`);
    t.match(
      run.stderr,
      /^gerbang: Node\.js 24 or newer is required, this is 2\d\.\d+\.\d+; run it through npm/,
    );
    t.equal(run.stderr.trim().split('\n').length, 1, `${entry}: one line`);
    t.equal(run.stdout, '', `${entry}: nothing else ran`);
  }
});
