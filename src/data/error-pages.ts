/** Gerbang's own pages (unknown host, bad request, backend down or slow): branded, Indonesian first, no external assets. */
import type { ErrorCode } from '../errors.js';

type Lang = 'id' | 'en';

interface PageText {
  title: string;
  body: string;
}

const TEXTS: Record<string, Record<Lang, PageText>> = {
  HOST_NOT_FOUND: {
    id: {
      title: 'Situs tidak ditemukan',
      body: 'Alamat ini belum terdaftar di gerbang Pemerintah Kabupaten Paser.',
    },
    en: { title: 'Site not found', body: 'This address is not registered at the Paser Regency gateway.' },
  },
  NOT_FOUND: {
    id: { title: 'Halaman tidak ditemukan', body: 'Tidak ada layanan untuk alamat ini.' },
    en: { title: 'Page not found', body: 'No service is configured for this path.' },
  },
  BAD_REQUEST: {
    id: { title: 'Permintaan tidak valid', body: 'Permintaan tidak dapat diproses.' },
    en: { title: 'Bad request', body: 'The request could not be understood.' },
  },
  BAD_GATEWAY: {
    id: {
      title: 'Layanan sedang tidak tersedia',
      body: 'Server layanan ini tidak merespons. Silakan coba lagi nanti.',
    },
    en: {
      title: 'Service unavailable',
      body: 'The server behind this service is not responding. Please try again later.',
    },
  },
  GATEWAY_TIMEOUT: {
    id: {
      title: 'Layanan terlalu lama merespons',
      body: 'Server layanan ini terlalu lama merespons. Silakan coba lagi nanti.',
    },
    en: {
      title: 'Service too slow',
      body: 'The server behind this service took too long to answer. Please try again later.',
    },
  },
  UPSTREAM_UNAVAILABLE: {
    id: {
      title: 'Layanan sedang tidak tersedia',
      body: 'Layanan ini sedang tidak dapat diakses. Silakan coba lagi nanti.',
    },
    en: {
      title: 'Service unavailable',
      body: 'This service cannot be reached right now. Please try again later.',
    },
  },
};

/** Indonesian unless the client prefers English (by order and q-value of Accept-Language). */
export function pickLanguage(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'id';
  let best: Lang = 'id';
  let bestQ = -1;
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.find((p) => p.trim().startsWith('q='));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    const lang: Lang | undefined =
      tag.startsWith('id') || tag.startsWith('in') ? 'id' : tag.startsWith('en') ? 'en' : undefined;
    if (lang !== undefined && Number.isFinite(q) && q > bestQ) {
      best = lang;
      bestQ = q;
    }
  }
  return best;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderErrorPage(status: number, code: ErrorCode, lang: Lang, requestId: string): string {
  const text = (TEXTS[code] ?? TEXTS.BAD_REQUEST)?.[lang] as PageText;
  const idLabel = lang === 'id' ? 'Kode permintaan' : 'Request id';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${status} · ${escapeHtml(text.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1f2933}main{max-width:36rem;margin:12vh auto;padding:2rem;background:#fff;border-top:6px solid #0b6e4f;border-radius:8px}h1{font-size:1.4rem;margin:.2rem 0 1rem}small{color:#52606d}</style>
</head><body><main><small>Pemerintah Kabupaten Paser · Gerbang</small><h1>${status} · ${escapeHtml(text.title)}</h1>
<p>${escapeHtml(text.body)}</p><p><small>${idLabel}: <code>${escapeHtml(requestId)}</code></small></p></main></body></html>
`;
}

/** Whether the client asked for JSON rather than a page (API clients of legacy backends). */
export function wantsJson(accept: string | undefined): boolean {
  return accept?.includes('application/json') === true && !accept.includes('text/html');
}
