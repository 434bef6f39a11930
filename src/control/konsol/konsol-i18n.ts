/** Konsol's words, Indonesian first and English by choice (`?lang=en`, else Accept-Language). */
import { pickLanguage } from '../../data/pages/error-pages.js';

export type Lang = 'id' | 'en';

const WORDS = {
  id: {
    console: 'Konsol Gerbang',
    loginTitle: 'Masuk',
    login: 'Nama pengguna',
    password: 'Kata sandi',
    signIn: 'Masuk',
    signOut: 'Keluar',
    wrongLogin: 'Nama pengguna atau kata sandi salah.',
    tooMany: 'Terlalu banyak percobaan gagal. Coba lagi dalam {s} detik.',
    expired: 'Sesi Anda telah berakhir. Silakan masuk lagi.',
    myServices: 'Layanan saya',
    noHosts: 'Belum ada layanan yang terdaftar.',
    host: 'Nama host',
    status: 'Status',
    targets: 'Target',
    up: 'aktif',
    down: 'mati',
    maintenance: 'pemeliharaan',
    maintenanceOn: 'Aktifkan pemeliharaan',
    maintenanceOff: 'Matikan pemeliharaan',
    saved: 'Tersimpan. Perubahan sudah berlaku.',
    refused: 'Permintaan ditolak.',
    notFound: 'Halaman tidak ditemukan.',
    forbidden: 'Anda tidak berhak membuka halaman ini.',
    back: 'Kembali',
    signedInAs: 'Masuk sebagai',
    language: 'English',
  },
  en: {
    console: 'Gerbang console',
    loginTitle: 'Sign in',
    login: 'Login',
    password: 'Password',
    signIn: 'Sign in',
    signOut: 'Sign out',
    wrongLogin: 'Wrong login or password.',
    tooMany: 'Too many failed attempts. Try again in {s} seconds.',
    expired: 'Your session has ended. Please sign in again.',
    myServices: 'My services',
    noHosts: 'No services are registered yet.',
    host: 'Host name',
    status: 'Status',
    targets: 'Targets',
    up: 'up',
    down: 'down',
    maintenance: 'maintenance',
    maintenanceOn: 'Switch maintenance on',
    maintenanceOff: 'Switch maintenance off',
    saved: 'Saved. The change is live.',
    refused: 'Request refused.',
    notFound: 'Page not found.',
    forbidden: 'You may not open this page.',
    back: 'Back',
    signedInAs: 'Signed in as',
    language: 'Bahasa Indonesia',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type Words = (typeof WORDS)[Lang];

/** `?lang=` wins over the browser's Accept-Language. */
export function konsolLanguage(query: unknown, acceptLanguage: string | undefined): Lang {
  const asked = (query as { lang?: unknown } | undefined)?.lang;
  if (asked === 'en' || asked === 'id') return asked;
  return pickLanguage(acceptLanguage);
}

export function wordsOf(lang: Lang): Words {
  return WORDS[lang];
}
