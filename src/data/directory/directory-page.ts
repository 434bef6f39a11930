/** One page of the directory (a bounded slice of the index, by search, agency and page number), as HTML and as layanan.json. */
import { MAX_DIRECTORY_QUERY_LENGTH } from '../../config/defaults.js';
import type { LocalTime } from '../pages/local-time.js';
import type {
  DirectoryAgency,
  DirectoryIndex,
  DirectoryService,
  IndexedMoving,
  IndexedService,
  ServiceStatus,
} from './directory-data.js';
import { type DirectoryQuery, queryString } from './directory-query.js';
import { renderUptimeBar } from './uptime-bar.js';

export interface DirectoryPage {
  query: DirectoryQuery;
  /** Services matching the query (every page together). */
  matched: number;
  pages: number;
  pageSize: number;
  /** This page's services, in display order. */
  services: readonly IndexedService[];
}

/** The page `query` asks for; undefined when the page number lies past the last page. */
export function selectPage(
  index: DirectoryIndex,
  query: DirectoryQuery,
  pageSize: number,
): DirectoryPage | undefined {
  const all = index.services;
  let matching: readonly IndexedService[] = all;
  if (query.agency !== '' || query.q !== '') {
    matching = all.filter(
      (s) =>
        (query.agency === '' || s.agency === query.agency) &&
        (query.q === '' || s.haystack.includes(query.q)),
    );
  }
  const pages = Math.max(1, Math.ceil(matching.length / pageSize));
  if (query.page > pages) return undefined;
  const from = (query.page - 1) * pageSize;
  return {
    query,
    matched: matching.length,
    pages,
    pageSize,
    services: matching.slice(from, from + pageSize),
  };
}

/** The services still being moved that the query matches; shown with the first page only. */
function movingOn(index: DirectoryIndex, page: DirectoryPage): IndexedMoving[] {
  if (page.query.page !== 1) return [];
  const { agency, q } = page.query;
  return index.moving.filter(
    (m) => (agency === '' || m.service.agency === agency) && (q === '' || m.haystack.includes(q)),
  );
}

function movingJson(m: IndexedMoving) {
  const s = m.service;
  return {
    id: s.id,
    agency: s.agency,
    agencyName: m.agencyName,
    state: s.state,
    name: s.name,
    url: s.url,
    ...(s.description ? { description: s.description } : {}),
    ...(s.category ? { category: s.category } : {}),
    ...(s.contact ? { contact: s.contact } : {}),
  };
}

function grouped(services: readonly IndexedService[]): DirectoryAgency[] {
  const groups: DirectoryAgency[] = [];
  for (const s of services) {
    const last = groups.at(-1);
    if (last !== undefined && last.id === s.agency) last.services.push({ ...s.service });
    else groups.push({ id: s.agency, name: s.agencyName, services: [{ ...s.service }] });
  }
  return groups;
}

function link(page: DirectoryPage, to: number): string {
  return `/${queryString({ ...page.query, page: to })}`;
}

export function renderDirectoryJson(index: DirectoryIndex, page: DirectoryPage): string {
  return JSON.stringify({
    generatedAt: index.generatedAt,
    total: index.total,
    up: index.up,
    incomplete: index.incomplete,
    matched: page.matched,
    page: page.query.page,
    pages: page.pages,
    pageSize: page.pageSize,
    ...(page.query.page > 1
      ? { prev: `/layanan.json${queryString({ ...page.query, page: page.query.page - 1 })}` }
      : {}),
    ...(page.query.page < page.pages
      ? { next: `/layanan.json${queryString({ ...page.query, page: page.query.page + 1 })}` }
      : {}),
    agencies: grouped(page.services),
    moving: movingOn(index, page).map(movingJson),
  });
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
main{max-width:60rem;margin:auto;padding:1rem}form{margin:0 0 1rem}input{width:100%;padding:.7rem .8rem;font-size:1rem;border:1px solid #cbd2d9;border-radius:6px}
section{margin:0 0 1.4rem}h2{font-size:1.1rem;margin:0 0 .5rem}h2 a{color:#0b6e4f;text-decoration:none}ul{list-style:none;margin:0;padding:0;display:grid;gap:.6rem;grid-template-columns:repeat(auto-fill,minmax(min(17rem,100%),1fr))}
li{background:#fff;border-radius:8px;padding:.8rem .9rem;border:1px solid #e4e7eb;overflow-wrap:anywhere;min-width:0}li a{font-weight:600;color:#0b4f8a;text-decoration:none;font-size:1.02rem}li a:hover{text-decoration:underline}
.host{display:block;color:#52606d;font-size:.85rem;word-break:break-all}.desc{margin:.35rem 0 0;font-size:.92rem}.meta{margin:.35rem 0 0;font-size:.8rem;color:#52606d}
.st{display:inline-block;font-size:.78rem;font-weight:600;padding:.1rem .5rem;border-radius:999px;margin-left:.3rem;vertical-align:middle}
.todo{color:#9aa5b1;font-size:.8rem;margin-left:.3rem;cursor:help}.up{background:#e3f9e5;color:#0e5c21}.down{background:#ffe3e3;color:#8a1c1c}.maintenance{background:#fff3c4;color:#7a5400}.moving{background:#e4ecf7;color:#1d3f6e}
nav{display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;margin:0 0 1rem;font-size:.95rem}nav a{color:#0b4f8a}
footer{max-width:60rem;margin:auto;padding:1rem;color:#52606d;font-size:.85rem}
.upt svg{display:block;width:100%;height:.6rem;margin:.45rem 0 .15rem;border-radius:2px}.upt .meta{display:block;margin:0}`;

// Filters this page's cards as one types; the form's search (Enter) looks through every page.
const SCRIPT = `document.getElementById('q').addEventListener('input',function(e){var q=e.target.value.toLowerCase();document.querySelectorAll('li').forEach(function(li){li.hidden=q&&li.textContent.toLowerCase().indexOf(q)<0});document.querySelectorAll('section').forEach(function(s){s.hidden=!s.querySelector('li:not([hidden])')})});`;

function card(svc: DirectoryService, timeZone: string): string {
  const meta = [svc.category, svc.owner, svc.contact]
    .filter(Boolean)
    .map((m) => esc(m as string))
    .join(' · ');
  // For admins only: a faint mark and the fields in an attribute, never a warning in the citizen's face.
  const todo = svc.missing.length > 0 ? ` data-missing="${esc(svc.missing.join(' '))}"` : '';
  const mark =
    svc.missing.length > 0
      ? '<span class="todo" title="Data layanan belum lengkap" aria-hidden="true">°</span>'
      : '';
  return `<li data-status="${svc.status}"${todo}><a href="${esc(svc.url)}">${esc(svc.name)}</a>${mark}<span class="st ${svc.status}">${STATUS_TEXT[svc.status]}</span><span class="host">${esc(svc.host)}</span>${svc.uptime ? renderUptimeBar(svc.uptime, timeZone, esc) : ''}${svc.description ? `<p class="desc">${esc(svc.description)}</p>` : ''}${meta ? `<p class="meta">${meta}</p>` : ''}</li>`;
}

const MOVING_TEXT = { reported: 'Alamat lama', migrating: 'Sedang dipindahkan' } as const;

function movingSection(list: readonly IndexedMoving[]): string {
  if (list.length === 0) return '';
  const items = list
    .map(({ agencyName, service: s }) => {
      const meta = [agencyName, s.category, s.contact]
        .filter(Boolean)
        .map((m) => esc(m as string))
        .join(' · ');
      return `<li data-state="${s.state}"><a href="${esc(s.url)}" rel="nofollow">${esc(s.name)}</a><span class="st moving">${MOVING_TEXT[s.state]}</span><span class="host">${esc(s.url)}</span>${s.description ? `<p class="desc">${esc(s.description)}</p>` : ''}<p class="meta">${meta}</p></li>`;
    })
    .join('');
  return `<section id="dipindahkan"><h2>Layanan yang sedang dipindahkan ke Gerbang</h2><p class="meta">Masih di alamat lamanya; segera tersedia di sini.</p><ul>${items}</ul></section>`;
}

function pager(page: DirectoryPage): string {
  if (page.pages <= 1) return '';
  const n = page.query.page;
  const prev = n > 1 ? `<a href="${esc(link(page, n - 1))}" rel="prev">‹ Sebelumnya</a>` : '';
  const next = n < page.pages ? `<a href="${esc(link(page, n + 1))}" rel="next">Berikutnya ›</a>` : '';
  return `<nav aria-label="Halaman">${prev}<span>Halaman ${n} dari ${page.pages}</span>${next}</nav>`;
}

export function renderDirectoryPage(
  index: DirectoryIndex,
  page: DirectoryPage,
  localTime: LocalTime,
): string {
  const sections = grouped(page.services)
    .map((agency) => {
      const href = `/${queryString({ q: '', agency: agency.id, page: 1 })}`;
      const items = agency.services.map((svc) => card(svc, localTime.timeZone)).join('');
      return `<section><h2><a href="${esc(href)}">${esc(agency.name)}</a></h2><ul>${items}</ul></section>`;
    })
    .join('\n');
  const q = page.query;
  const filtered = q.q !== '' || q.agency !== '';
  const scope = filtered
    ? `<p>${page.matched} layanan ditemukan${q.agency !== '' ? ` di ${esc(index.agencies.get(q.agency) ?? q.agency)}` : ''}${q.q !== '' ? ` untuk “${esc(q.q)}”` : ''} · <a href="/">semua layanan</a></p>`
    : '';
  const empty =
    page.matched === 0
      ? filtered
        ? '<p>Tidak ada layanan yang cocok.</p>'
        : '<p>Belum ada layanan yang terdaftar.</p>'
      : '';
  const agencyField = q.agency !== '' ? `<input type="hidden" name="instansi" value="${esc(q.agency)}">` : '';
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Layanan Digital Pemerintah Kabupaten Paser</title>
<meta name="description" content="Daftar layanan dan portal perangkat daerah Kabupaten Paser, dengan status terkini.">
<style>${CSS}</style></head><body>
<header><div><p>Pemerintah Kabupaten Paser</p><h1>Layanan Digital</h1><p>${index.up} dari ${index.total} layanan aktif saat ini</p></div></header>
<main><form method="get" action="/" role="search"><label for="q" hidden>Cari layanan</label><input id="q" name="q" type="search" value="${esc(q.q)}" maxlength="${MAX_DIRECTORY_QUERY_LENGTH}" placeholder="Cari layanan atau perangkat daerah…" autocomplete="off">${agencyField}</form>
${scope}${empty}${sections}
${movingSection(movingOn(index, page))}
${pager(page)}
</main><footer>Diperbarui <time datetime="${esc(index.generatedAt)}">${esc(localTime.format(index.generatedAt, 'id'))}</time> · <a href="/layanan.json">layanan.json</a> · Dikelola oleh DKISP Kabupaten Paser</footer>
<script>${SCRIPT}</script></body></html>
`;
}
