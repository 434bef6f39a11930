/** The directory's query string (`?q=`, `?instansi=`, `?page=`), validated: a bad or repeated value is refused, not guessed at. */
import { MAX_DIRECTORY_QUERY_LENGTH } from '../../config/defaults.js';
import { AGENCY_ID_PATTERN } from '../../model/agency-schema.js';

export interface DirectoryQuery {
  /** Lower-cased, trimmed search text; '' for none. */
  readonly q: string;
  /** One agency's id; '' for every agency. */
  readonly agency: string;
  /** 1-based page number. */
  readonly page: number;
}

export type DirectoryQueryResult = { ok: true; query: DirectoryQuery } | { ok: false; field: string };

const AGENCY_ID = new RegExp(AGENCY_ID_PATTERN);
const PAGE = /^[1-9][0-9]{0,5}$/;
const KNOWN = new Set(['q', 'instansi', 'page']);

export function parseDirectoryQuery(search: string): DirectoryQueryResult {
  const params = new URLSearchParams(search);
  // Other parameters (utm_*, fbclid on a shared link) change nothing on the page and are not keyed on: ignored.
  for (const key of KNOWN) if (params.getAll(key).length > 1) return { ok: false, field: key };
  const q = (params.get('q') ?? '').trim().toLowerCase();
  if (q.length > MAX_DIRECTORY_QUERY_LENGTH) return { ok: false, field: 'q' };
  const agency = params.get('instansi') ?? '';
  if (agency !== '' && !AGENCY_ID.test(agency)) return { ok: false, field: 'instansi' };
  const page = params.get('page') ?? '1';
  if (!PAGE.test(page)) return { ok: false, field: 'page' };
  return { ok: true, query: { q, agency, page: Number(page) } };
}

/** The query string of a link to `query` (empty parts left out, so the first page is plain `/`). */
export function queryString(query: DirectoryQuery): string {
  const params = new URLSearchParams();
  if (query.q !== '') params.set('q', query.q);
  if (query.agency !== '') params.set('instansi', query.agency);
  if (query.page !== 1) params.set('page', String(query.page));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The cache key of a query's rendering. */
export function queryKey(query: DirectoryQuery): string {
  return `${query.page}\n${query.agency}\n${query.q}`;
}
