/** `npm run demo`: two legacy-portal backends on loopback, then the gateway itself with config/gerbang.yaml. */
import { startLegacyPortal } from './legacy-portal.js';

const DEMO_PORTALS: ReadonlyArray<[string, number]> = [
  ['Dinas Kesehatan (portal lama)', 9101],
  ['Dinas Pendidikan (portal lama)', 9102],
];

for (const [name, port] of DEMO_PORTALS) {
  await startLegacyPortal(name, port);
  process.stderr.write(`demo backend "${name}" on http://127.0.0.1:${port}\n`);
}
process.stderr.write(
  `\nTry:\n  curl -H 'Host: dinkes.paserkab.go.id' localhost:8080/\n  curl -H 'Host: disdik.paserkab.go.id' localhost:8080/api/hello\n  curl -H 'Host: nowhere.paserkab.go.id' localhost:8080/\n\n`,
);
await import('../main.js');
