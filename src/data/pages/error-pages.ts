/** Gerbang's own pages (unknown host, bad request, backend down or slow): branded, Indonesian first, no external assets. */
import type { ErrorCode } from '../../errors.js';
import { NO_ONWARD, type Onward, onwardHtml } from './page-onward.js';

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
  ACCESS_DENIED: {
    id: {
      title: 'Akses ditolak',
      body: 'Layanan ini hanya dapat diakses dari jaringan tertentu. Hubungi pengelola layanan bila Anda memerlukan akses.',
    },
    en: {
      title: 'Access denied',
      body: 'This service can only be reached from certain networks. Contact the service owner if you need access.',
    },
  },
  AUTH_REQUIRED: {
    id: {
      title: 'Perlu masuk',
      body: 'Layanan ini meminta nama pengguna dan kata sandi. Hubungi pengelola layanan bila Anda memerlukan akses.',
    },
    en: {
      title: 'Sign-in required',
      body: 'This service asks for a user name and password. Contact the service owner if you need access.',
    },
  },
  FORBIDDEN: {
    id: { title: 'Akses ditolak', body: 'Permintaan ini tidak diizinkan.' },
    en: { title: 'Forbidden', body: 'This request is not allowed.' },
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
  REQUEST_BODY_TIMEOUT: {
    id: {
      title: 'Pengiriman data terlalu lambat',
      body: 'Data yang Anda kirim tiba terlalu lambat atau terhenti. Periksa koneksi Anda lalu coba lagi.',
    },
    en: {
      title: 'Upload too slow',
      body: 'The data you sent arrived too slowly or stopped. Check your connection and try again.',
    },
  },
  BACKEND_CLIENT_LIMIT: {
    id: {
      title: 'Terlalu banyak permintaan',
      body: 'Terlalu banyak permintaan dari alamat Anda ke layanan ini sekaligus. Silakan coba lagi sebentar lagi.',
    },
    en: {
      title: 'Too many requests',
      body: 'Too many requests from your address to this service at once. Please try again in a moment.',
    },
  },
  MISDIRECTED_REQUEST: {
    id: {
      title: 'Silakan muat ulang halaman',
      body: 'Permintaan ini tiba melalui sambungan untuk situs lain. Muat ulang halaman untuk membuka sambungan baru.',
    },
    en: {
      title: 'Please reload the page',
      body: 'This request came over a connection made for another site. Reload the page to open a new connection.',
    },
  },
  RATE_LIMITED: {
    id: {
      title: 'Terlalu banyak permintaan',
      body: 'Alamat Anda mengirim terlalu banyak permintaan ke layanan ini dalam waktu singkat. Silakan tunggu sebentar lalu coba lagi.',
    },
    en: {
      title: 'Too many requests',
      body: 'Your address sent too many requests to this service in a short time. Please wait a moment and try again.',
    },
  },
  SHUTTING_DOWN: {
    id: {
      title: 'Layanan sedang dialihkan',
      body: 'Server gerbang ini sedang dihentikan. Silakan muat ulang halaman.',
    },
    en: {
      title: 'Service moving',
      body: 'This gateway server is shutting down. Please reload the page.',
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

/** The agency's own words (`errorPages`), beside Gerbang's: plain text, escaped, line breaks kept by the CSS. */
export function agencyHtml(text: string | undefined): string {
  return text ? `<p class="agency">${escapeHtml(text)}</p>` : '';
}

/**
 * The card of every branded page: side margins on a phone (the body's padding; main never wider than the screen),
 * long host names and request ids wrapped instead of widening the page.
 */
export function brandedPageCss(accent: string): string {
  return `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;padding:0 1rem;background:#f4f6f8;color:#1f2933;line-height:1.45}main{max-width:36rem;margin:12vh auto;padding:2rem 1.5rem;background:#fff;border-top:6px solid ${accent};border-radius:8px;overflow-wrap:anywhere}h1{font-size:1.4rem;margin:.2rem 0 1rem}small{color:#52606d}.onward a{color:#0b4f8a;font-weight:600}.contact span{font-weight:600}.agency{white-space:pre-line}`;
}

export function renderErrorPage(
  status: number,
  code: ErrorCode,
  lang: Lang,
  requestId: string,
  onward: Onward = NO_ONWARD,
  agencyText?: string,
): string {
  const text = (TEXTS[code] ?? TEXTS.BAD_REQUEST)?.[lang] as PageText;
  const idLabel = lang === 'id' ? 'Kode permintaan' : 'Request id';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${status} · ${escapeHtml(text.title)}</title>
<style>${brandedPageCss('#0b6e4f')}</style>
</head><body><main><small>Pemerintah Kabupaten Paser · Gerbang</small><h1>${status} · ${escapeHtml(text.title)}</h1>
<p>${escapeHtml(text.body)}</p>${agencyHtml(agencyText)}${onwardHtml(lang, onward)}<p><small>${idLabel}: <code>${escapeHtml(requestId)}</code></small></p></main></body></html>
`;
}

/** Whether the client asked for JSON rather than a page (API clients of legacy backends). */
export function wantsJson(accept: string | undefined): boolean {
  return accept?.includes('application/json') === true && !accept.includes('text/html');
}
