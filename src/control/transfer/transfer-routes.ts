/** Admin API routes of configuration as code: GET /v1/export (JSON or YAML) and POST /v1/import?dryRun=&prune=. */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';
import { DEFAULT_IMPORT_BODY_LIMIT } from '../../config/defaults.js';
import type { DocumentedSchema } from '../openapi.js';
import { actorOf } from '../registry-routes.js';
import { exportConfiguration } from './export.js';
import { ConfigurationImport } from './import.js';
import { type TransferDocument, TransferDocumentSchema } from './transfer-document.js';
import type { TransferOptions } from './transfer-options.js';

const ExportQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])),
    certificates: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'include uploaded certificates with their private keys (admin)',
      }),
    ),
  },
  { additionalProperties: false },
);

const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Boolean({ default: false, description: 'report the difference, apply nothing' }),
    ),
    prune: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'also remove what the caller may write and the file leaves out',
      }),
    ),
  },
  { additionalProperties: false },
);

const schemas = {
  export: {
    summary: 'Export the configuration (agencies, hosts; certificates on request)',
    description:
      'JSON, or YAML with `?format=yaml` or `Accept: application/yaml`. An agency token gets its own hosts. ' +
      '`certificates=true` (admin only, audited) adds uploaded certificates WITH their private keys.',
    tags: ['transfer'],
    access: 'agency',
    querystring: ExportQuery,
  },
  import: {
    summary: 'Import a configuration: all or nothing',
    description:
      'Validated as the API validates (schema, backend policy, ownership, overlaps) before anything is applied. ' +
      '`dryRun=true` reports what would be created, changed and removed. Config-managed hosts are skipped.',
    tags: ['transfer'],
    access: 'agency',
    querystring: ImportQuery,
    body: TransferDocumentSchema,
  },
} satisfies Record<string, DocumentedSchema>;

function wantsYaml(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'yaml';
  return /\b(application|text)\/(x-)?yaml\b/i.test(accept ?? '');
}

export function registerTransferRoutes(app: FastifyInstance, options: TransferOptions): void {
  const importer = new ConfigurationImport(options);
  app.get<{ Querystring: Static<typeof ExportQuery> }>(
    '/v1/export',
    { schema: schemas.export },
    async (request, reply) => {
      const doc = await exportConfiguration(options, actorOf(request), request.query.certificates === true);
      if (wantsYaml(request.query.format, request.headers.accept)) {
        return reply.type('application/yaml; charset=utf-8').send(stringify(doc));
      }
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(doc, null, 2));
    },
  );
  app.post<{ Querystring: Static<typeof ImportQuery>; Body: TransferDocument }>(
    '/v1/import',
    { schema: schemas.import, bodyLimit: DEFAULT_IMPORT_BODY_LIMIT },
    async (request) =>
      importer.run(request.body, actorOf(request), {
        dryRun: request.query.dryRun === true,
        prune: request.query.prune === true,
      }),
  );
}
