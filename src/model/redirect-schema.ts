/** Aliases, redirect-only hosts and prefix redirects of a host document (issue 16: the move to one official domain). */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_ALIASES_PER_HOST, MAX_PATH_LENGTH, MAX_REDIRECTS_PER_HOST } from '../config/defaults.js';

const RedirectStatus = Type.Union(
  [Type.Literal(301), Type.Literal(302), Type.Literal(307), Type.Literal(308)],
  {
    description: '301, 302, 307 or 308 (default 308: permanent, method and body kept)',
  },
);

/**
 * Where a redirect goes: `https://host/path`, `host/path` (the request's scheme is kept) or, for a prefix rule,
 * `/path` on the same host. No query or fragment: the request's query is kept.
 */
const RedirectTarget = Type.String({
  minLength: 1,
  maxLength: 2048,
  pattern: '^[^\\s?#]+$',
  description: '`https://host/path`, `host/path` (scheme of the request kept) or `/path` (same host)',
});

export const AliasSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 253,
      description: 'another name: an old domain, or a name in the zone',
    }),
    mode: Type.Optional(
      Type.Union([Type.Literal('redirect'), Type.Literal('serve')], {
        description: 'redirect (default) to the host, path and query kept; or serve the same routes',
      }),
    ),
    status: Type.Optional(
      Type.Union([Type.Literal(301), Type.Literal(308)], {
        description: 'of a redirecting alias; default 308',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AliasesSchema = Type.Array(AliasSchema, { maxItems: MAX_ALIASES_PER_HOST });

/** A host that only redirects: no routes. */
export const HostRedirectSchema = Type.Object(
  {
    to: RedirectTarget,
    status: Type.Optional(RedirectStatus),
    keepPath: Type.Optional(
      Type.Boolean({ description: 'append the request path and query to `to` (default true)' }),
    ),
  },
  { additionalProperties: false },
);

/** Requests under `prefix` are sent to `to`, the rest of the path and the query appended. */
export const PrefixRedirectSchema = Type.Object(
  {
    prefix: Type.String({ minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: '^/[^\\s?#]*$' }),
    to: RedirectTarget,
    status: Type.Optional(RedirectStatus),
  },
  { additionalProperties: false },
);

export const PrefixRedirectsSchema = Type.Array(PrefixRedirectSchema, { maxItems: MAX_REDIRECTS_PER_HOST });

export type Alias = Static<typeof AliasSchema>;
export type HostRedirect = Static<typeof HostRedirectSchema>;
export type PrefixRedirect = Static<typeof PrefixRedirectSchema>;
export type RedirectStatusCode = 301 | 302 | 307 | 308;
