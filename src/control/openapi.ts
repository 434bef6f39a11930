/** The admin API's OpenAPI 3.1 document, assembled from the typebox schemas the routes validate with (one source). */
import { type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { ERROR_CODES, GerbangError } from '../errors.js';
import { compileValidator } from '../model/validate.js';

export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(Object.keys(ERROR_CODES).map((c) => Type.Literal(c))),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'Error' },
);

/** What a route declares beyond fastify's own schema keys: shown in the document only. */
export interface DocumentedSchema extends FastifySchema {
  summary?: string;
  description?: string;
  tags?: string[];
  /** `admin`, `agency` (own hosts) or `public` (no token). */
  access?: 'admin' | 'agency' | 'public';
}

interface CollectedRoute {
  method: string;
  url: string;
  schema: DocumentedSchema;
}

const PARTS: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

/**
 * Makes fastify validate with typebox's compiler (errors become VALIDATION_FAILED naming the field, as the
 * services' own checks do), serialise with plain JSON.stringify (response schemas are for the document only),
 * and remember every route so /openapi.json can describe it.
 */
export function useTypeboxSchemas(app: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = [];
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const validator = compileValidator(schema as TSchema);
    const where = PARTS[httpPart ?? 'body'] ?? httpPart ?? 'request';
    const coerce = httpPart === 'querystring' || httpPart === 'params';
    return (data: unknown) => {
      const value = coerce ? Value.Convert(schema as TSchema, data) : data;
      if (validator.check(value)) return { value };
      const problems = validator.problems(value);
      const first = problems[0];
      const summary = first ? `${first.path}: ${first.message}` : 'invalid';
      return {
        error: new GerbangError('VALIDATION_FAILED', `${where} is invalid at ${summary}`, {
          fields: problems,
        }),
      };
    };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || route.url === '*') continue;
      routes.push({
        method: method.toLowerCase(),
        url: route.url,
        schema: (route.schema ?? {}) as DocumentedSchema,
      });
    }
  });
  return routes;
}

/** A typebox schema as plain JSON Schema (symbols and functions dropped). */
function plain(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

function parameters(schema: unknown, location: 'path' | 'query'): unknown[] {
  const props = (schema as { properties?: Record<string, unknown>; required?: string[] } | undefined) ?? {};
  return Object.entries(props.properties ?? {}).map(([name, s]) => ({
    name,
    in: location,
    required: location === 'path' || (props.required ?? []).includes(name),
    schema: plain(s),
    ...((s as { description?: string }).description
      ? { description: (s as { description: string }).description }
      : {}),
  }));
}

export function buildOpenApiDocument(
  routes: readonly CollectedRoute[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url, schema } of routes) {
    const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, body] of Object.entries((schema.response ?? {}) as Record<string, unknown>)) {
      const s = body as { description?: string } | null;
      responses[status] =
        s === null || Object.keys(plain(s)).length === 0
          ? { description: s?.description ?? 'no body' }
          : {
              description: s.description ?? (status === '201' ? 'created' : 'OK'),
              content: { 'application/json': { schema: plain(s) } },
            };
    }
    // A route without a declared success answers 200 all the same: say so rather than list only errors.
    if (!Object.keys(responses).some((status) => status.startsWith('2')))
      responses['200'] = { description: 'OK' };
    if (schema.access !== 'public') {
      responses['4XX'] = {
        description: 'an error with a stable code (see errors)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const operation: Record<string, unknown> = {
      summary: schema.summary,
      ...(schema.description ? { description: schema.description } : {}),
      tags: schema.tags ?? [path.split('/')[2] ?? 'meta'],
      'x-access': schema.access ?? 'admin',
      ...(schema.access === 'public' ? { security: [] } : {}),
      parameters: [...parameters(schema.params, 'path'), ...parameters(schema.querystring, 'query')],
      ...(schema.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: plain(schema.body) } } } }
        : {}),
      responses,
    };
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method] = operation;
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gerbang admin API',
      version,
      description:
        'The admin listener of Gerbang, the edge gateway of the Paser regency data centre. JSON in and out; ' +
        '`Authorization: Bearer <token>`; an admin token may do everything, an agency token only touches ' +
        'the hosts its agency owns.',
    },
    servers: [{ url: 'http://127.0.0.1:9180' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: plain(ErrorBodySchema) },
    },
    paths: sorted,
  };
}
