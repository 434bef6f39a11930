/** The `headers` and `errorPages` parts of a host or route document (issue 16): header rules and the agency's own page texts. */
import { type Static, Type } from '@sinclair/typebox';
import {
  MAX_ERROR_PAGE_TEXT_LENGTH,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_RULES,
  MAX_HEADER_VALUE_LENGTH,
} from '../config/defaults.js';

/** RFC 9110 token: what a field name may be made of. */
export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

const HeaderName = Type.String({
  minLength: 1,
  maxLength: MAX_HEADER_NAME_LENGTH,
  pattern: HEADER_NAME_PATTERN,
  description: 'a field name (token characters)',
});

/** Visible ASCII, space and tab, not starting or ending with white space: no CR, LF or NUL can reach a head. */
const HeaderValue = Type.String({
  minLength: 1,
  maxLength: MAX_HEADER_VALUE_LENGTH,
  pattern: '^[\\x21-\\x7e]([\\x20-\\x7e\\t]*[\\x21-\\x7e])?$',
  description: 'a field value: visible ASCII with inner spaces, no CR or LF',
});

const FieldValues = Type.Record(Type.String(), HeaderValue, {
  maxProperties: MAX_HEADER_RULES,
  description: 'field name → value (names are checked like `remove` entries)',
});

/** One direction's rules; a name may appear in one list only. */
export const HeaderRulesSchema = Type.Object(
  {
    set: Type.Optional(FieldValues),
    setIfAbsent: Type.Optional(FieldValues),
    remove: Type.Optional(Type.Array(HeaderName, { maxItems: MAX_HEADER_RULES })),
  },
  {
    additionalProperties: false,
    description:
      'set replaces, setIfAbsent adds when missing, remove drops; a name in one list only; never a hop-by-hop field, X-Forwarded-*, Forwarded, X-Request-Id, Cache-Status, Age, Strict-Transport-Security, Content-Length/-Encoding/-Range or Host (400 HEADER_FORBIDDEN)',
  },
);

/** Per host, or per route (a route's `headers` replaces the host's whole). */
export const HeadersPolicySchema = Type.Object(
  {
    defaults: Type.Optional(
      Type.Boolean({
        description:
          'the default policy (nosniff, Referrer-Policy, X-Frame-Options when absent; version banners removed); default true',
      }),
    ),
    response: Type.Optional(HeaderRulesSchema),
    request: Type.Optional(HeaderRulesSchema),
  },
  {
    additionalProperties: false,
    description:
      "response rules apply on the way out, to proxied responses and cache hits alike (the cache keeps the backend's fields); request rules apply to what the backend receives; a route's `headers` replaces the host's",
  },
);

const PageText = Type.String({
  minLength: 1,
  maxLength: MAX_ERROR_PAGE_TEXT_LENGTH,
  // Plain text on one line or a few: no control characters besides the line break.
  pattern: '^[^\\x00-\\x09\\x0b-\\x1f\\x7f]+$',
  description: 'plain text, shown escaped',
});

const Texts = Type.Object(
  { id: Type.Optional(PageText), en: Type.Optional(PageText) },
  { additionalProperties: false, minProperties: 1 },
);

/** The agency's short texts on Gerbang's branded pages, by status (and `maintenance`), in Indonesian and English. */
export const ErrorPagesSchema = Type.Object(
  {
    '403': Type.Optional(Texts),
    '404': Type.Optional(Texts),
    '429': Type.Optional(Texts),
    '502': Type.Optional(Texts),
    '503': Type.Optional(Texts),
    '504': Type.Optional(Texts),
    maintenance: Type.Optional(Texts),
  },
  {
    additionalProperties: false,
    description:
      "the agency's short texts on Gerbang's branded pages, by status, `id` and `en` (the other language when one is missing); a route's replace the host's",
  },
);

export type HeaderRules = Static<typeof HeaderRulesSchema>;
export type HeadersPolicy = Static<typeof HeadersPolicySchema>;
export type ErrorPages = Static<typeof ErrorPagesSchema>;
export type ErrorPageTexts = Static<typeof Texts>;
