#!/usr/bin/env node
/** The `gerbang` command's entry point: an older Node.js is refused before the command's modules are linked. */
import '../runtime/check-node.js';

await import('./run-cli.js');
