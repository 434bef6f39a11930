/** The Host document (contract of DESIGN.md): the typebox schema is the single source of its type and its validation. */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_PATH_LENGTH, MAX_ROUTES_PER_HOST, MAX_TARGETS_PER_ROUTE } from '../config/defaults.js';

export const TimeoutsSchema = Type.Object(
  {
    connect: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 120_000, description: 'ms to open a connection' }),
    ),
    response: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 600_000, description: 'ms to wait for response headers' }),
    ),
    idle: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3_600_000, description: 'ms a body may stall between bytes' }),
    ),
  },
  { additionalProperties: false },
);

export const RouteSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: '^/[^\\s?#]*$' }),
    targets: Type.Array(Type.String({ minLength: 8, maxLength: 2048 }), {
      minItems: 1,
      maxItems: MAX_TARGETS_PER_ROUTE,
    }),
    stripPrefix: Type.Optional(Type.Boolean()),
    preserveHost: Type.Optional(Type.Boolean()),
    timeouts: Type.Optional(TimeoutsSchema),
  },
  { additionalProperties: false },
);

/** What an API client sends for PUT /v1/hosts/{host} (the host name comes from the URL). */
export const HostBodySchema = Type.Object(
  {
    host: Type.Optional(Type.String({ maxLength: 253 })),
    agency: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' })),
    routes: Type.Array(RouteSchema, { minItems: 1, maxItems: MAX_ROUTES_PER_HOST }),
  },
  { additionalProperties: false },
);

export type Timeouts = Static<typeof TimeoutsSchema>;
export type Route = Static<typeof RouteSchema>;
export type HostBody = Static<typeof HostBodySchema>;

/** A stored host: the body, normalised, with its name and provenance. */
export interface HostDoc {
  host: string;
  agency?: string | undefined;
  routes: Route[];
  updatedAt: string;
}

/** Where a host comes from: declared in the YAML file (read-only through the API) or registered in the store. */
export type HostSource = 'config' | 'store';
