/** `npm run demo`'s entry point: an older Node.js is refused before the demo's modules are linked. */
import '../runtime/check-node.js';

await import('./run-demo.js');
