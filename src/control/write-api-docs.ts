/** `npm run docs:api`: starts a throw-away gateway, reads its /openapi.json, and writes docs/admin-api.md from it. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/load-config.js';
import { startGateway } from '../gateway.js';
import { renderOpenApiMarkdown } from './openapi-markdown.js';

const OUTPUT = process.argv[2] ?? 'docs/admin-api.md';

const dir = await mkdtemp(join(tmpdir(), 'gerbang-docs-'));
const configPath = join(dir, 'gerbang.yaml');
await writeFile(configPath, 'zones: [paserkab.go.id]\n');
const config = loadConfig({
  GERBANG_CONFIG: configPath,
  GERBANG_STATE_DIR: dir,
  GERBANG_ADMIN_TOKEN: 'docs-only-token-0123456789',
});
const gateway = await startGateway(
  {
    ...config,
    http: { host: '127.0.0.1', port: 0 },
    https: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
  },
  pino({ level: 'silent' }),
);
try {
  const res = await fetch(`http://127.0.0.1:${gateway.ports.admin}/openapi.json`);
  const doc = (await res.json()) as Record<string, unknown>;
  await mkdir(join(OUTPUT, '..'), { recursive: true });
  await writeFile(OUTPUT, renderOpenApiMarkdown(doc));
  process.stdout.write(`wrote ${OUTPUT}\n`);
} finally {
  await gateway.stop();
  await rm(dir, { recursive: true, force: true });
}
