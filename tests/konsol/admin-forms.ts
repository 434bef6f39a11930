/** Every admin page and form of Konsol, for the tests that walk them all; and the registry's state to compare. */
import type { TestGateway } from '../helpers/gateway.js';

export interface AdminIds {
  /** An existing agency, user and token to aim the per-item forms at. */
  agency: string;
  user: string;
  token: string;
}

export function adminPages(ids: AdminIds): string[] {
  return [
    '/konsol/admin/instansi',
    `/konsol/admin/instansi/${ids.agency}`,
    `/konsol/admin/instansi/${ids.agency}/hapus`,
    '/konsol/admin/pengguna',
    `/konsol/admin/pengguna/${ids.user}/hapus`,
    '/konsol/admin/token',
  ];
}

/** Each form with a body that would change something if it were accepted. */
export function adminForms(ids: AdminIds): Array<[string, Record<string, string>]> {
  return [
    [
      '/konsol/admin/instansi',
      { id: 'baru', name: 'Baru', contact: 'x@paserkab.go.id', owns: 'baru.paserkab.go.id' },
    ],
    [`/konsol/admin/instansi/${ids.agency}`, { name: 'Renamed', contact: 'y@paserkab.go.id', owns: '' }],
    [`/konsol/admin/instansi/${ids.agency}/hapus`, {}],
    ['/konsol/admin/pengguna', { name: 'Eve', login: 'eve', role: 'admin', password: 'eve-password-0123' }],
    [`/konsol/admin/pengguna/${ids.user}/sandi`, { password: 'taken-over-0123' }],
    [`/konsol/admin/pengguna/${ids.user}/totp`, {}],
    [`/konsol/admin/pengguna/${ids.user}/hapus`, {}],
    ['/konsol/admin/token', { scope: 'admin', note: 'stolen' }],
    [`/konsol/admin/token/${ids.token}/hapus`, {}],
  ];
}

/** Agencies, users (with their updatedAt: a reset shows) and tokens, as the API lists them. */
export async function registryState(gw: TestGateway): Promise<string> {
  const parts = await Promise.all(
    ['/v1/agencies', '/v1/users', '/v1/tokens'].map(async (path) => {
      const res = await gw.admin('GET', path);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return res.body;
    }),
  );
  return JSON.stringify(parts);
}
