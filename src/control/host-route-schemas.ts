/** Schemas of the /v1/hosts routes and the meta endpoints: validation at the door and the OpenAPI description, from the host model. */
import { Type } from '@sinclair/typebox';
import { HostBodySchema } from '../model/host-schema.js';
import type { DocumentedSchema } from './openapi.js';

export const HostViewSchema = Type.Composite([
  Type.Omit(HostBodySchema, ['host']),
  Type.Object({
    host: Type.String(),
    updatedAt: Type.String({ format: 'date-time' }),
    source: Type.Union([Type.Literal('config'), Type.Literal('store')], {
      description: 'config: declared in the YAML file, read-only here',
    }),
  }),
]);

const HostParams = Type.Object({
  host: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'e.g. dinkes.paserkab.go.id or *.paserkab.go.id',
  }),
});

export const hostRouteSchemas = {
  list: {
    summary: 'List hosts',
    description: 'An agency token sees the hosts registered to its agency.',
    tags: ['hosts'],
    access: 'agency',
    response: { 200: Type.Object({ hosts: Type.Array(HostViewSchema) }) },
  },
  get: {
    summary: 'One host',
    tags: ['hosts'],
    access: 'agency',
    params: HostParams,
    response: { 200: HostViewSchema },
  },
  put: {
    summary: 'Register or replace a host',
    description:
      'An agency token may register names its agency owns (or subdomains), never wildcards, never a host of ' +
      'another agency (409 HOST_TAKEN). Every target is checked against the backends policy (400 TARGET_FORBIDDEN). ' +
      'An admin who leaves `agency` out keeps the current owner.',
    tags: ['hosts'],
    access: 'agency',
    params: HostParams,
    body: HostBodySchema,
    response: { 200: HostViewSchema, 201: HostViewSchema },
  },
  patch: {
    summary: 'Change part of a host',
    description:
      'JSON Merge Patch (RFC 7396, `application/merge-patch+json` or `application/json`): only the fields named ' +
      'change, `null` removes one, arrays (such as `routes`) are replaced whole. The result is validated and ' +
      'checked exactly as a PUT of it would be. 404 when the host is not registered.',
    tags: ['hosts'],
    access: 'agency',
    params: HostParams,
    body: Type.Object(
      {},
      {
        additionalProperties: true,
        description: 'the fields to change, e.g. {"maintenance":{"enabled":true}}',
      },
    ),
    response: { 200: HostViewSchema },
  },
  delete: {
    summary: 'Remove a host',
    tags: ['hosts'],
    access: 'agency',
    params: HostParams,
    response: { 204: Type.Null({ description: 'done' }) },
  },
} satisfies Record<string, DocumentedSchema>;

export const metaRouteSchemas: Record<'healthz' | 'readyz' | 'metrics' | 'openapi', DocumentedSchema> = {
  healthz: { summary: 'Alive', tags: ['meta'], access: 'public' },
  readyz: {
    summary: 'Route table loaded, and not shutting down (503 from SIGTERM on)',
    tags: ['meta'],
    access: 'public',
  },
  metrics: { summary: 'Prometheus metrics (text)', tags: ['meta'], access: 'public' },
  openapi: { summary: 'This document', tags: ['meta'], access: 'public' },
};
