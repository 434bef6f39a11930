/** `npm run demo`: two legacy-portal backends on free loopback ports, then the gateway with them as config hosts. */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_ADMIN_HOST,
  DEFAULT_ADMIN_PORT,
  DEFAULT_HTTP_PORT,
  DEFAULT_STATE_DIR,
} from '../config/defaults.js';
import { writeDemoConfig } from './demo-config.js';
import { seedDemoUsers } from './demo-users.js';
import { startLegacyPortal } from './legacy-portal.js';

/** GERBANG_DEMO_PORTS=9101,9102 pins the portals' ports; by default each gets a free one. */
function demoPorts(): [number, number] {
  const [a, b] = (process.env.GERBANG_DEMO_PORTS ?? '0,0').split(',').map(Number);
  const valid = (p: number | undefined): p is number =>
    p !== undefined && Number.isInteger(p) && p >= 0 && p < 65536;
  if (!valid(a) || !valid(b)) {
    process.stderr.write('gerbang demo: GERBANG_DEMO_PORTS must be two ports, e.g. 9101,9102\n');
    process.exit(78);
  }
  return [a, b];
}

const [dinkesPort, disdikPort] = demoPorts();
const dinkes = await startLegacyPortal('Dinas Kesehatan (portal lama)', dinkesPort);
const disdik = await startLegacyPortal('Dinas Pendidikan (portal lama)', disdikPort);
const ports = {
  dinkes: (dinkes.address() as AddressInfo).port,
  disdik: (disdik.address() as AddressInfo).port,
};
const stateDir = process.env.GERBANG_STATE_DIR || DEFAULT_STATE_DIR;
await mkdir(stateDir, { recursive: true });
process.env.GERBANG_CONFIG ??= await writeDemoConfig(stateDir, ports);
process.stderr.write(
  `demo backend "Dinas Kesehatan (portal lama)" on http://127.0.0.1:${ports.dinkes}\n` +
    `demo backend "Dinas Pendidikan (portal lama)" on http://127.0.0.1:${ports.disdik}\n`,
);
const gateway = `localhost:${process.env.GERBANG_HTTP_PORT || DEFAULT_HTTP_PORT}`;
process.stderr.write(
  `\nTry:\n  curl -H 'Host: dinkes.paserkab.go.id' ${gateway}/\n  curl -H 'Host: disdik.paserkab.go.id' ${gateway}/api/hello\n` +
    `  curl -H 'Host: nowhere.paserkab.go.id' ${gateway}/\n  curl -H 'Host: layanan.paserkab.go.id' ${gateway}/\n\n`,
);
await import('../main.js');

// Konsol accounts to try the console with, once the admin API answers.
const adminUrl = `http://${process.env.GERBANG_ADMIN_HOST || DEFAULT_ADMIN_HOST}:${process.env.GERBANG_ADMIN_PORT || DEFAULT_ADMIN_PORT}`;
seedDemoUsers(adminUrl, stateDir).then(
  (accounts) =>
    process.stderr.write(
      `\nKonsol: ${adminUrl}/konsol/ (passwords kept in ${stateDir}/demo-users.json)\n${accounts
        .map((a) => `  ${a.login.padEnd(11)} ${a.password}   ${a.role}`)
        .join('\n')}\n\n`,
    ),
  (err: unknown) => process.stderr.write(`gerbang demo: no Konsol accounts: ${(err as Error).message}\n`),
);
