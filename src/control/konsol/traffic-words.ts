/** The traffic view's words (each agency's own requests, errors, bytes and cache hits per hour), Indonesian first and English by choice. */
import type { Lang } from './konsol-i18n.js';

export const TRAFFIC_WORDS = {
  id: {
    nav: 'Lalu lintas',
    title: 'Lalu lintas layanan',
    section: 'Lalu lintas {n} jam terakhir',
    intro:
      'Dihitung oleh Gerbang sendiri per jam (UTC), dijumlahkan dari semua instans; diperbarui setiap beberapa detik.',
    range: 'Rentang',
    lastHours: '{n} jam terakhir',
    show: 'Tampilkan',
    none: 'Belum ada lalu lintas dalam {n} jam terakhir.',
    agency: 'Instansi',
    total: 'Jumlah {n} jam',
    hour: 'Jam (UTC)',
    requests: 'Permintaan',
    errors: 'Galat 5xx',
    failures: 'Backend gagal',
    bytes: 'Data terkirim',
    hitRatio: 'Rasio hit cache',
    chart: 'Permintaan per jam, {n} jam terakhir (merah: galat 5xx)',
    barTitle: '{hour} UTC: {requests} permintaan, {errors} galat',
    noCache: '-',
  },
  en: {
    nav: 'Traffic',
    title: 'Service traffic',
    section: 'Traffic over the last {n} hours',
    intro:
      'Counted by Gerbang itself per hour (UTC), summed over every instance; brought up to date every few seconds.',
    range: 'Range',
    lastHours: 'last {n} hours',
    show: 'Show',
    none: 'No traffic in the last {n} hours.',
    agency: 'Agency',
    total: 'Total over {n} hours',
    hour: 'Hour (UTC)',
    requests: 'Requests',
    errors: '5xx errors',
    failures: 'Backend failures',
    bytes: 'Bytes sent',
    hitRatio: 'Cache hit ratio',
    chart: 'Requests per hour, last {n} hours (red: 5xx errors)',
    barTitle: '{hour} UTC: {requests} requests, {errors} errors',
    noCache: '-',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type TrafficWords = (typeof TRAFFIC_WORDS)[Lang];

/** A phrase with its `{name}` places filled. */
export function fillWords(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}
