import { readFile } from 'node:fs/promises';
import t from 'tap';
import { CONFIG_DOCS } from '../../src/config/config-docs.js';
import { configKeys, renderConfigReference } from '../../src/config/config-reference.js';
import { ConfigFileSchema } from '../../src/config/schema.js';

t.test(
  'docs/configuration.md names every key of the config schema with what it does, and is what the schema generates',
  async (t) => {
    const keys = configKeys(ConfigFileSchema, CONFIG_DOCS).map((k) => k.path);
    const undocumented = keys.filter((k) => CONFIG_DOCS[k] === undefined);
    t.same(undocumented, [], 'every key has its meaning in src/config/config-docs.ts');
    const stale = Object.keys(CONFIG_DOCS).filter((k) => !keys.includes(k));
    t.same(stale, [], 'no documented key is gone from the schema');
    const written = await readFile('docs/configuration.md', 'utf8');
    t.equal(
      written,
      renderConfigReference(ConfigFileSchema, CONFIG_DOCS),
      'current: run `npm run docs:config` after a change',
    );
  },
);
