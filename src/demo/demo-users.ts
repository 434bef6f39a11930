/** The demo's Konsol accounts: an admin and one member per demo agency, created through the admin API once the gateway is ready. */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DemoAccount {
  login: string;
  name: string;
  role: string;
  password: string;
}

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 250;
const ACCOUNTS_FILE = 'demo-users.json';

/** Agencies the demo's hosts belong to, each owning its host's name. */
const DEMO_AGENCIES = [
  { id: 'dinkes', name: 'Dinas Kesehatan', owns: ['dinkes.paserkab.go.id'] },
  { id: 'disdik', name: 'Dinas Pendidikan', owns: ['disdik.paserkab.go.id'] },
];

/** Random passwords, kept in the state folder so a second `npm run demo` prints the same ones (never fixed defaults). */
async function accountsOf(stateDir: string): Promise<DemoAccount[]> {
  const file = join(stateDir, ACCOUNTS_FILE);
  try {
    const saved: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (Array.isArray(saved) && saved.length === 3) return saved as DemoAccount[];
  } catch {
    // First run, or a damaged file: new passwords.
  }
  const password = () => randomBytes(12).toString('base64url');
  const accounts: DemoAccount[] = [
    { login: 'demo-admin', name: 'Admin DKISP (demo)', role: 'admin', password: password() },
    { login: 'budi', name: 'Budi (Dinas Kesehatan, demo)', role: 'agency:dinkes', password: password() },
    { login: 'sari', name: 'Sari (Dinas Pendidikan, demo)', role: 'agency:disdik', password: password() },
  ];
  await writeFile(file, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  return accounts;
}

async function waitReady(adminUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${adminUrl}/readyz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`the admin API at ${adminUrl} was not ready within ${READY_TIMEOUT_MS / 1000} s`);
}

/** Creates what is missing (a second run keeps what the first made) and answers the accounts to print. */
export async function seedDemoUsers(adminUrl: string, stateDir: string): Promise<DemoAccount[]> {
  await waitReady(adminUrl);
  // The gateway's own: GERBANG_ADMIN_TOKEN, else the one it wrote at first start.
  const token =
    process.env.GERBANG_ADMIN_TOKEN || (await readFile(join(stateDir, 'admin-token'), 'utf8')).trim();
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${adminUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  for (const agency of DEMO_AGENCIES) {
    if ((await api('GET', `/v1/agencies/${agency.id}`)).status === 404) {
      await api('PUT', `/v1/agencies/${agency.id}`, {
        name: agency.name,
        contact: 'dkisp@paserkab.go.id',
        owns: agency.owns,
      });
    }
  }
  const accounts = await accountsOf(stateDir);
  const existing = (await (await api('GET', '/v1/users')).json()) as { users?: Array<{ login: string }> };
  const taken = new Set((existing.users ?? []).map((u) => u.login));
  for (const account of accounts) {
    if (taken.has(account.login)) continue;
    const created = await api('POST', '/v1/users', account);
    if (created.status !== 201) throw new Error(`demo user ${account.login}: ${await created.text()}`);
  }
  return accounts;
}
