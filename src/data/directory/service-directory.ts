/** The public service directory (layanan.<zone>): paged HTML and /layanan.json, rendered once per change of hosts or health, never per request. */
import { LRUCache } from 'lru-cache';
import {
  DEFAULT_DIRECTORY_PAGE_SIZE,
  DEFAULT_DIRECTORY_RENDERED_PAGES,
  DEFAULT_TIME_ZONE,
} from '../../config/defaults.js';
import type { UptimeSummaries } from '../../model/service-uptime.js';
import { targetHealthGeneration } from '../health/target-state.js';
import { type LocalTime, localTimeIn } from '../pages/local-time.js';
import { sendOwnError } from '../pages/own-replies.js';
import type { GatewayReply } from '../routing/exchange.js';
import type { SnapshotHolder } from '../routing/snapshot.js';
import {
  agencyDisplayName,
  buildDirectoryIndex,
  type DirectoryIndex,
  type MovingServices,
  NO_AGENCY,
  refreshStatuses,
  refreshUptime,
} from './directory-data.js';
import {
  type DirectoryPage,
  renderDirectoryJson,
  renderDirectoryPage,
  selectPage,
} from './directory-page.js';
import { type DirectoryQuery, parseDirectoryQuery, queryKey } from './directory-query.js';

/** Agency names come from the registry, outside the snapshot: the index is rebuilt at least this often for them. */
const INDEX_MAX_AGE_MS = 10_000;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self'";

export interface ServiceDirectoryOptions {
  /** The host name the directory answers on. */
  host: string;
  holder: SnapshotHolder;
  /** Agency id → display name (from the registry); undefined shows the id. */
  agencyName?: (id: string) => string | undefined;
  /** Services not behind Gerbang yet (the inventory), in a section of their own; none when absent. */
  moving?: MovingServices;
  /** Each service's 90-day uptime, computed by the control plane; no bar when absent. */
  uptime?: UptimeSummaries;
  /** Services per page; DEFAULT_DIRECTORY_PAGE_SIZE when absent. */
  pageSize?: number;
  /** IANA zone of the "updated" time; DEFAULT_TIME_ZONE when absent. */
  timeZone?: string | undefined;
}

/** One query's page, rendered on first use per form (HTML or JSON); `page` undefined: past the last page. */
interface Rendered {
  page: DirectoryPage | undefined;
  /** Encoded once: every answer of this page writes the same bytes. */
  html?: Buffer;
  json?: Buffer;
}

export class ServiceDirectory {
  readonly host: string;
  private readonly pageSize: number;
  private readonly localTime: LocalTime;
  private index: DirectoryIndex | undefined;
  private indexBuiltAt = 0;
  private healthSeen = -1;
  private movingSeen = -1;
  private uptimeSeen = -1;
  private readonly pages = new LRUCache<string, Rendered>({ max: DEFAULT_DIRECTORY_RENDERED_PAGES });

  constructor(private readonly options: ServiceDirectoryOptions) {
    this.host = options.host;
    this.pageSize = options.pageSize ?? DEFAULT_DIRECTORY_PAGE_SIZE;
    this.localTime = localTimeIn(options.timeZone ?? DEFAULT_TIME_ZONE);
  }

  /** The index of the current snapshot, its statuses as of the last health change; renderings dropped on change. */
  private current(): DirectoryIndex {
    const snapshot = this.options.holder.current;
    const health = targetHealthGeneration();
    const now = Date.now();
    let index = this.index;
    if (
      index !== undefined &&
      now - this.indexBuiltAt > INDEX_MAX_AGE_MS &&
      !this.agencyNamesChanged(index)
    ) {
      // A few name look-ups instead of re-sorting every service: rebuilt only when a name really changed.
      this.indexBuiltAt = now;
    }
    if (
      index === undefined ||
      index.snapshotVersion !== snapshot.version ||
      now - this.indexBuiltAt > INDEX_MAX_AGE_MS ||
      (this.options.moving?.generation ?? -1) !== this.movingSeen
    ) {
      this.movingSeen = this.options.moving?.generation ?? -1;
      index = buildDirectoryIndex(
        snapshot,
        this.options.agencyName ?? (() => undefined),
        this.host,
        this.options.moving?.moving(),
      );
      this.index = index;
      this.indexBuiltAt = now;
      this.healthSeen = health;
      this.uptimeSeen = -1;
      this.pages.clear();
    } else if (health !== this.healthSeen) {
      refreshStatuses(index);
      this.healthSeen = health;
      this.pages.clear();
    }
    const uptime = this.options.uptime?.generation ?? 0;
    if (uptime !== this.uptimeSeen) {
      refreshUptime(index, this.options.uptime);
      this.uptimeSeen = uptime;
      this.pages.clear();
    }
    return index;
  }

  private agencyNamesChanged(index: DirectoryIndex): boolean {
    const lookup = this.options.agencyName ?? (() => undefined);
    for (const [id, name] of index.agencies) {
      if (id !== NO_AGENCY && agencyDisplayName(id, lookup) !== name) return true;
    }
    return false;
  }

  /** The body for `query` in one form; undefined when the page lies past the last one. */
  private body(query: DirectoryQuery, form: 'html' | 'json'): Buffer | undefined {
    const index = this.current();
    const key = queryKey(query);
    let rendered = this.pages.get(key);
    if (rendered === undefined) {
      rendered = { page: selectPage(index, query, this.pageSize) };
      this.pages.set(key, rendered);
    }
    const page = rendered.page;
    if (page === undefined) return undefined;
    if (form === 'html') {
      rendered.html ??= Buffer.from(renderDirectoryPage(index, page, this.localTime));
      return rendered.html;
    }
    rendered.json ??= Buffer.from(renderDirectoryJson(index, page));
    return rendered.json;
  }

  /** Answers a request on the directory host. */
  serve(reply: GatewayReply, url: string): void {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = reply.request.raw.method;
    if (method !== 'GET' && method !== 'HEAD') {
      sendOwnError(reply, 'METHOD_NOT_ALLOWED');
      return;
    }
    const isPage = path === '/' || path === '/index.html';
    if (!isPage && path !== '/layanan.json') {
      sendOwnError(reply, 'NOT_FOUND');
      return;
    }
    const parsed = parseDirectoryQuery(q < 0 ? '' : url.slice(q + 1));
    if (!parsed.ok) {
      sendOwnError(reply, 'BAD_REQUEST');
      return;
    }
    const body = this.body(parsed.query, isPage ? 'html' : 'json');
    if (body === undefined) {
      sendOwnError(reply, 'NOT_FOUND');
      return;
    }
    reply.code(200).header('cache-control', 'public, max-age=10').header('x-request-id', reply.request.id);
    if (isPage) {
      reply
        .type('text/html; charset=utf-8')
        .header('content-language', 'id')
        .header('content-security-policy', CSP)
        .send(body);
    } else {
      reply.type('application/json; charset=utf-8').header('access-control-allow-origin', '*').send(body);
    }
  }
}
