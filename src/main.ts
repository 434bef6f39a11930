/** The gateway's entry point: an older Node.js is refused before any other module is even linked (a newer API in one would fail first). */
import './runtime/check-node.js';

await import('./server.js');
