/** The `rateLimit` part of a host or route document (issue 16): a rate, a burst and the addresses never limited. */
import { type Static, Type } from '@sinclair/typebox';
import './formats.js';
import { MAX_ACCESS_LIST_ENTRIES, MAX_RATE_LIMIT_BURST } from '../config/defaults.js';

/** Per host or route (a route's replaces the host's): requests per client address (IPv6 by /64), GCRA with a burst. */
export const RateLimitSchema = Type.Object(
  {
    rate: Type.String({
      pattern: '^[1-9][0-9]{0,5}/(s|m|h)$',
      minLength: 3,
      maxLength: 8,
      description: 'requests per second, minute or hour from one client address: "10/s", "600/m"',
    }),
    burst: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_RATE_LIMIT_BURST,
        description:
          "requests one address may send at once before the rate applies; default the rate's count",
      }),
    ),
    exempt: Type.Optional(
      Type.Array(Type.String({ format: 'cidr', minLength: 2, maxLength: 49 }), {
        maxItems: MAX_ACCESS_LIST_ENTRIES,
        description: 'addresses or CIDRs never limited (the data centre monitors)',
      }),
    ),
  },
  { additionalProperties: false },
);

export type RateLimit = Static<typeof RateLimitSchema>;
