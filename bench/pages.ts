/** The pages every origin serves (the 1 KiB page of every case, the 40 KiB compressible HTML of the gzip cases), built once so the Node and nginx origins send the same bytes. */
import { BIG_PAGE_BYTES, BODY_BYTES } from './defaults.js';

const head = '<!doctype html><html><head><title>bench</title></head><body><p>';
const tail = '</p></body></html>\n';

/** The 1 KiB page: what most cases load. */
export const SMALL_PAGE = Buffer.from(head + 'x'.repeat(BODY_BYTES - head.length - tail.length) + tail);
if (SMALL_PAGE.length !== BODY_BYTES)
  throw new Error(`1 KiB page is ${SMALL_PAGE.length} bytes, not ${BODY_BYTES}`);

/**
 * The 40 KiB page compresses the way a portal's HTML does (repeated markup, varied text and numbers: ~5× with
 * gzip 6), not like a run of one letter (~300×), so gzip's cost per byte is the one a real page has. The text
 * comes from a fixed linear congruential sequence: the same bytes every run, on every origin.
 */
function bigPage(): Buffer {
  const words = [
    'dinas',
    'kesehatan',
    'paser',
    'layanan',
    'warga',
    'jadwal',
    'puskesmas',
    'izin',
    'pajak',
    'desa',
    'kecamatan',
    'tanah',
    'grogot',
    'sekolah',
    'bantuan',
    'pendaftaran',
    'kependudukan',
    'jalan',
    'air',
    'listrik',
    'pasar',
    'nelayan',
    'petani',
    'sawit',
    'kelurahan',
    'posyandu',
    'vaksin',
    'surat',
    'keterangan',
    'usaha',
  ];
  let seed = 20_261_201;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return (seed >>> 8) % n;
  };
  const rows: string[] = [];
  let size = head.length + tail.length;
  for (let i = 0; size < BIG_PAGE_BYTES; i++) {
    const text = Array.from({ length: 4 + next(6) }, () => words[next(words.length)]).join(' ');
    const row = `<tr><td>${i}</td><td>${text}</td><td>${next(1_000_000)}</td><td>${next(100_000)}.${next(100)}</td></tr>\n`;
    rows.push(row);
    size += row.length;
  }
  const page = head + rows.join('') + tail;
  return Buffer.from(page.slice(0, BIG_PAGE_BYTES - tail.length) + tail);
}

export const BIG_PAGE = bigPage();
if (BIG_PAGE.length !== BIG_PAGE_BYTES) throw new Error(`40 KiB page is ${BIG_PAGE.length} bytes`);

/** Where each page is, on every origin. The small one is `/`, as it always was. */
export const SMALL_PAGE_PATH = '/';
export const BIG_PAGE_PATH = '/page-40k.html';
