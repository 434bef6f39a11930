/** `npm run docs:config`: writes docs/configuration.md from the config schema. */
import { writeFile } from 'node:fs/promises';
import { CONFIG_DOCS } from './config-docs.js';
import { renderConfigReference } from './config-reference.js';
import { ConfigFileSchema } from './schema.js';

const OUTPUT = process.argv[2] ?? 'docs/configuration.md';
await writeFile(OUTPUT, renderConfigReference(ConfigFileSchema, CONFIG_DOCS));
process.stdout.write(`wrote ${OUTPUT}\n`);
