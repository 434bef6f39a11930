import { readFile } from 'node:fs/promises';
import t from 'tap';
import { renderOpenApiMarkdown } from '../../src/control/openapi-markdown.js';
import { startTestGateway } from '../helpers/gateway.js';

t.test(
  'docs/admin-api.md is what /openapi.json generates, and every endpoint lists its success answer',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const doc = (await (await fetch(`${gw.adminUrl}/openapi.json`)).json()) as Record<string, unknown>;
    const written = await readFile('docs/admin-api.md', 'utf8');
    t.equal(written, renderOpenApiMarkdown(doc), 'current: run `npm run docs:api` after a change');
    const paths = doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        t.ok(success.length > 0, `${method.toUpperCase()} ${path} lists a 2xx answer`);
      }
    }
  },
);
