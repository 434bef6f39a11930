/** Module hook for the runtime comparison: Gerbang's version check (src/runtime/check-node.ts) loads as an empty module, everything else as is. */
import type { LoadHook } from 'node:module';

const CHECK = /\/runtime\/check-node\.js$/;

export const load: LoadHook = (url, context, nextLoad) =>
  CHECK.test(url) ? { format: 'module', source: '', shortCircuit: true } : nextLoad(url, context);
