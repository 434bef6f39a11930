/** Refuses a redirect that would come back to itself or chain without end, through every host Gerbang knows (their aliases and redirect-only hosts included). */
import { MAX_REDIRECT_HOPS } from '../config/defaults.js';
import { normalizeRoutePath, pathHasPrefix } from '../data/routing/router.js';
import { GerbangError } from '../errors.js';
import type { HostDoc } from '../model/host-schema.js';
import { joinPath, parseRedirectTarget, restBelow } from '../model/redirect-target.js';

interface Named {
  doc: HostDoc;
  /** Set when the name is a redirecting alias of `doc`. */
  redirects: boolean;
}

function indexNames(docs: readonly HostDoc[]): Map<string, Named> {
  const names = new Map<string, Named>();
  for (const doc of docs) names.set(doc.host, { doc, redirects: false });
  for (const doc of docs)
    for (const alias of doc.aliases ?? [])
      if (!names.has(alias.name)) names.set(alias.name, { doc, redirects: alias.mode !== 'serve' });
  return names;
}

/** Where Gerbang would send (name, path) next; undefined when it answers (a route, another site, no rule). */
function step(names: Map<string, Named>, name: string, path: string): [string, string] | undefined {
  const named = names.get(name);
  if (named === undefined) return undefined;
  if (named.redirects) return [named.doc.host, path];
  const doc = named.doc;
  if (doc.redirect !== undefined) {
    const to = parseRedirectTarget(doc.redirect.to, '/redirect/to', false);
    return [to.host ?? name, doc.redirect.keepPath === false ? to.path : joinPath(to.path, path)];
  }
  let best: { prefix: string; to: string } | undefined;
  for (const rule of doc.redirects ?? []) {
    const prefix = normalizeRoutePath(rule.prefix);
    if (pathHasPrefix(path, prefix) && (best === undefined || prefix.length > best.prefix.length))
      best = { prefix, to: rule.to };
  }
  if (best === undefined) return undefined;
  const to = parseRedirectTarget(best.to, '/redirects/to', true);
  return [to.host ?? name, joinPath(to.path, restBelow(best.prefix, path))];
}

/** Throws REDIRECT_LOOP naming the field of `doc` whose redirect comes back; `others` excludes `doc`'s host. */
export function assertNoRedirectLoop(doc: HostDoc, others: readonly HostDoc[]): void {
  const names = indexNames([doc, ...others]);
  const starts: Array<[field: string, name: string, path: string]> = [];
  if (doc.redirect !== undefined) starts.push(['/redirect', doc.host, '/']);
  for (const [i, rule] of (doc.redirects ?? []).entries())
    starts.push([`/redirects/${i}`, doc.host, normalizeRoutePath(rule.prefix)]);
  for (const [i, alias] of (doc.aliases ?? []).entries())
    if (alias.mode !== 'serve') starts.push([`/aliases/${i}`, alias.name, '/']);
  for (const [field, name, path] of starts) {
    const seen = new Set<string>([`${name} ${path}`]);
    let at: [string, string] | undefined = [name, path];
    for (let hop = 0; at !== undefined; hop++) {
      at = step(names, at[0], at[1]);
      if (at === undefined) break;
      const key = `${at[0]} ${at[1]}`;
      if (seen.has(key) || hop >= MAX_REDIRECT_HOPS)
        throw new GerbangError(
          'REDIRECT_LOOP',
          `${field}: ${name}${path} would be redirected ${seen.has(key) ? `back to ${at[0]}${at[1]}` : `more than ${MAX_REDIRECT_HOPS} times`}`,
        );
      seen.add(key);
    }
  }
}
