/** Checks the aliases, redirect and redirects of a host document on their own (names, targets, duplicates); who may claim a name is alias-claims.ts. */
import { normalizeRoutePath } from '../data/routing/router.js';
import { GerbangError } from '../errors.js';
import { isDnsName } from '../model/host-name.js';
import type { HostBody } from '../model/host-schema.js';
import type { Alias, HostRedirect, PrefixRedirect } from '../model/redirect-schema.js';
import { parseRedirectTarget } from '../model/redirect-target.js';

export interface RedirectFields {
  aliases?: Alias[];
  redirect?: HostRedirect;
  redirects?: PrefixRedirect[];
}

function normalizeAlias(raw: string): string {
  let name = raw.trim().toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name;
}

/** Aliases normalised (lowercase, no trailing dot); refuses wildcards, the host itself, duplicates, bad targets. */
export function checkRedirectFields(host: string, parsed: HostBody): RedirectFields {
  if (parsed.redirect !== undefined && parsed.routes !== undefined)
    throw new GerbangError('VALIDATION_FAILED', '/redirect: a host that only redirects has no routes');
  if (parsed.redirect === undefined && parsed.routes === undefined)
    throw new GerbangError(
      'VALIDATION_FAILED',
      '/routes: required unless the host only redirects (redirect)',
    );
  const out: RedirectFields = {};
  if (parsed.aliases !== undefined) {
    const seen = new Set<string>();
    out.aliases = parsed.aliases.map((alias, i) => {
      const name = normalizeAlias(alias.name);
      if (!isDnsName(name))
        throw new GerbangError(
          'INVALID_HOST',
          `/aliases/${i}/name: "${alias.name}" is not a host name (no wildcard)`,
        );
      if (name === host) throw new GerbangError('VALIDATION_FAILED', `/aliases/${i}/name: the host itself`);
      if (seen.has(name))
        throw new GerbangError('VALIDATION_FAILED', `/aliases/${i}/name: ${name} is listed twice`);
      seen.add(name);
      if (alias.status !== undefined && alias.mode === 'serve')
        throw new GerbangError(
          'VALIDATION_FAILED',
          `/aliases/${i}/status: an alias that serves does not redirect`,
        );
      return { ...alias, name };
    });
  }
  if (parsed.redirect !== undefined) {
    parseRedirectTarget(parsed.redirect.to, '/redirect/to', false);
    out.redirect = parsed.redirect;
  }
  if (parsed.redirects !== undefined) {
    const prefixes = new Set<string>();
    for (const [i, rule] of parsed.redirects.entries()) {
      const prefix = normalizeRoutePath(rule.prefix);
      if (prefixes.has(prefix))
        throw new GerbangError(
          'VALIDATION_FAILED',
          `/redirects/${i}/prefix: "${rule.prefix}" is declared twice`,
        );
      prefixes.add(prefix);
      parseRedirectTarget(rule.to, `/redirects/${i}/to`, true);
    }
    out.redirects = parsed.redirects;
  }
  return out;
}
