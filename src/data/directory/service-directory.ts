/** The public service directory (layanan.<zone>): one page listing every service by agency with its status, and /layanan.json. */
import type { FastifyReply } from 'fastify';
import { sendOwnError } from '../own-replies.js';
import type { SnapshotHolder } from '../snapshot.js';
import { collectDirectory, type DirectoryData, type ServiceStatus } from './directory-data.js';

/** Status changes within seconds; rebuilding at most once a second keeps a busy directory cheap. */
const RENDER_TTL_MS = 1_000;

export interface ServiceDirectoryOptions {
  /** The host name the directory answers on. */
  host: string;
  holder: SnapshotHolder;
  /** Agency id → display name (from the registry); undefined shows the id. */
  agencyName?: (id: string) => string | undefined;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STATUS_TEXT: Record<ServiceStatus, string> = {
  up: 'Aktif',
  down: 'Gangguan',
  maintenance: 'Pemeliharaan',
};

const CSS = `*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1f2933;line-height:1.45}
header{background:#0b6e4f;color:#fff;padding:1.2rem 1rem}header div{max-width:60rem;margin:auto}header h1{margin:.2rem 0;font-size:1.5rem}header p{margin:.2rem 0;opacity:.9}
main{max-width:60rem;margin:auto;padding:1rem}input{width:100%;padding:.7rem .8rem;font-size:1rem;border:1px solid #cbd2d9;border-radius:6px;margin:0 0 1rem}
section{margin:0 0 1.4rem}h2{font-size:1.1rem;margin:0 0 .5rem;color:#0b6e4f}ul{list-style:none;margin:0;padding:0;display:grid;gap:.6rem;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))}
li{background:#fff;border-radius:8px;padding:.8rem .9rem;border:1px solid #e4e7eb}li a{font-weight:600;color:#0b4f8a;text-decoration:none;font-size:1.02rem}li a:hover{text-decoration:underline}
.host{display:block;color:#52606d;font-size:.85rem;word-break:break-all}.desc{margin:.35rem 0 0;font-size:.92rem}.meta{margin:.35rem 0 0;font-size:.8rem;color:#52606d}
.st{display:inline-block;font-size:.78rem;font-weight:600;padding:.1rem .5rem;border-radius:999px;margin-left:.3rem;vertical-align:middle}
.up{background:#e3f9e5;color:#0e5c21}.down{background:#ffe3e3;color:#8a1c1c}.maintenance{background:#fff3c4;color:#7a5400}
footer{max-width:60rem;margin:auto;padding:1rem;color:#52606d;font-size:.85rem}`;

// Filters the list as one types; the page works without it.
const SCRIPT = `document.getElementById('q').addEventListener('input',function(e){var q=e.target.value.toLowerCase();document.querySelectorAll('li').forEach(function(li){li.hidden=q&&li.textContent.toLowerCase().indexOf(q)<0});document.querySelectorAll('section').forEach(function(s){s.hidden=!s.querySelector('li:not([hidden])')})});`;

export function renderDirectoryPage(data: DirectoryData): string {
  const sections = data.agencies
    .map((agency) => {
      const items = agency.services
        .map((s) => {
          const meta = [s.category, s.owner, s.contact]
            .filter(Boolean)
            .map((m) => esc(m as string))
            .join(' · ');
          return `<li data-status="${s.status}"><a href="${esc(s.url)}">${esc(s.name)}</a><span class="st ${s.status}">${STATUS_TEXT[s.status]}</span><span class="host">${esc(s.host)}</span>${s.description ? `<p class="desc">${esc(s.description)}</p>` : ''}${meta ? `<p class="meta">${meta}</p>` : ''}</li>`;
        })
        .join('');
      return `<section><h2>${esc(agency.name)}</h2><ul>${items}</ul></section>`;
    })
    .join('\n');
  const empty = data.total === 0 ? '<p>Belum ada layanan yang terdaftar.</p>' : '';
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Layanan Digital Pemerintah Kabupaten Paser</title>
<meta name="description" content="Daftar layanan dan portal perangkat daerah Kabupaten Paser, dengan status terkini.">
<style>${CSS}</style></head><body>
<header><div><p>Pemerintah Kabupaten Paser</p><h1>Layanan Digital</h1><p>${data.up} dari ${data.total} layanan aktif saat ini</p></div></header>
<main><label for="q" hidden>Cari layanan</label><input id="q" type="search" placeholder="Cari layanan atau perangkat daerah…" autocomplete="off">
${empty}${sections}
</main><footer>Diperbarui ${esc(data.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · <a href="/layanan.json">layanan.json</a> · Dikelola oleh DKISP Kabupaten Paser</footer>
<script>${SCRIPT}</script></body></html>
`;
}

export class ServiceDirectory {
  readonly host: string;
  private cached: { at: number; version: number; html: string; json: string } | undefined;

  constructor(private readonly options: ServiceDirectoryOptions) {
    this.host = options.host;
  }

  private render(): { html: string; json: string } {
    const snapshot = this.options.holder.current;
    const now = Date.now();
    const cached = this.cached;
    if (cached && cached.version === snapshot.version && now - cached.at < RENDER_TTL_MS) return cached;
    const data = collectDirectory(snapshot, this.options.agencyName ?? (() => undefined), this.host);
    const next = {
      at: now,
      version: snapshot.version,
      html: renderDirectoryPage(data),
      json: JSON.stringify(data),
    };
    this.cached = next;
    return next;
  }

  /** Answers a request on the directory host. */
  serve(reply: FastifyReply, url: string): void {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = reply.request.method;
    if (method !== 'GET' && method !== 'HEAD') {
      sendOwnError(reply, 'METHOD_NOT_ALLOWED');
      return;
    }
    if (path === '/' || path === '/index.html') {
      reply
        .code(200)
        .type('text/html; charset=utf-8')
        .header('content-language', 'id')
        .header('cache-control', 'public, max-age=10')
        .header('x-request-id', reply.request.id)
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self'",
        )
        .send(this.render().html);
      return;
    }
    if (path === '/layanan.json') {
      reply
        .code(200)
        .type('application/json; charset=utf-8')
        .header('cache-control', 'public, max-age=10')
        .header('access-control-allow-origin', '*')
        .header('x-request-id', reply.request.id)
        .send(this.render().json);
      return;
    }
    sendOwnError(reply, 'NOT_FOUND');
  }
}
