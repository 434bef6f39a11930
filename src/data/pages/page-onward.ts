/** The way onward from one of Gerbang's own pages: the public service directory and, when the host names one, its agency's contact. */
import type { GatewayReply } from '../routing/exchange.js';
import type { CompiledHost } from '../routing/snapshot.js';
import type { PageLang } from './local-time.js';

/** What a listener knows for every page it writes: set once per listener (public-app.ts), read per page. */
export interface PageSettings {
  /** IANA zone of the times shown (validated at start). */
  readonly timeZone: string;
  /** `<scheme>://<directory host>[:port]/` on this listener's scheme; undefined when the directory is off. */
  directoryUrl(): string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    gerbangPages?: PageSettings;
  }
}

/** Where a citizen can go next from one page. */
export interface Onward {
  readonly directoryUrl: string | undefined;
  /** Who runs the service (app.owner), shown beside the contact. */
  readonly owner: string | undefined;
  /** The agency's contact text (app.contact): agency input, always escaped. */
  readonly contact: string | undefined;
}

export const NO_ONWARD: Onward = { directoryUrl: undefined, owner: undefined, contact: undefined };

export function onwardFor(settings: PageSettings | undefined, host: CompiledHost | undefined): Onward {
  const app = host?.app;
  return {
    directoryUrl: settings?.directoryUrl(),
    owner: app?.contact ? app.owner : undefined,
    contact: app?.contact,
  };
}

/** The onward of a reply on a public listener: its listener's settings, and the host the request was routed to. */
export function onwardOfReply(reply: GatewayReply): Onward {
  return onwardFor(reply.server.gerbangPages, reply.request.gerbang?.host);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const TEXT: Record<PageLang, { directory: string; contact: string; contactOf: string }> = {
  id: {
    directory: 'Lihat daftar layanan digital Kabupaten Paser',
    contact: 'Butuh bantuan? Hubungi pengelola layanan',
    contactOf: 'Butuh bantuan? Hubungi',
  },
  en: {
    directory: 'See the list of Paser Regency digital services',
    contact: 'Need help? Contact the service team',
    contactOf: 'Need help? Contact',
  },
};

/** The links and contact as page HTML ('' when there is neither); every agency text is escaped. */
export function onwardHtml(lang: PageLang, onward: Onward): string {
  const t = TEXT[lang];
  const contact = onward.contact
    ? `<p class="contact">${onward.owner ? `${t.contactOf} ${escapeHtml(onward.owner)}` : t.contact}: <span>${escapeHtml(onward.contact)}</span></p>`
    : '';
  const directory = onward.directoryUrl
    ? `<p class="onward"><a href="${escapeHtml(onward.directoryUrl)}">${t.directory} →</a></p>`
    : '';
  return contact + directory;
}
