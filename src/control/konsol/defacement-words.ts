/** The words of the defacement section of Konsol's host page, Indonesian first; kept apart so konsol-i18n.ts does not grow per page. */
import type { Lang } from './konsol-i18n.js';

const DEFACEMENT_WORDS = {
  id: {
    title: 'Pemantauan deface',
    none: 'Tidak ada temuan: halaman yang diperiksa bersih dari spam judi dan tautan tersembunyi.',
    intro:
      'Halaman berikut cocok dengan aturan pemantauan (spam judi online, blok tautan tersembunyi). Periksa berkas dan CMS di server layanan.',
    url: 'Alamat',
    rule: 'Aturan',
    evidence: 'Yang cocok',
    lastSeen: 'Terakhir terlihat',
    count: 'Kali',
  },
  en: {
    title: 'Defacement watch',
    none: 'No findings: the pages checked are free of gambling spam and hidden links.',
    intro:
      'These pages matched a watch rule (online gambling spam, hidden link blocks). Check the files and the CMS on the service’s server.',
    url: 'Address',
    rule: 'Rule',
    evidence: 'What matched',
    lastSeen: 'Last seen',
    count: 'Times',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type DefacementWords = (typeof DEFACEMENT_WORDS)[Lang];

export function defacementWordsOf(lang: Lang): DefacementWords {
  return DEFACEMENT_WORDS[lang];
}
