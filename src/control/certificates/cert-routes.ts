/** Admin API routes for certificates: GET /v1/certificates, PUT /v1/certificates/{host}, POST /v1/certificates/{host}/renew. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DocumentedSchema } from '../openapi.js';
import { ADMIN_ONLY_ACCESS, type CertificateAccess, requirePrincipal } from './access.js';
import type { CertificateService } from './certificate-service.js';
import { UploadBodySchema } from './upload.js';

const HostParams = Type.Object({
  host: Type.String({ minLength: 1, maxLength: 300, description: 'e.g. dinkes.paserkab.go.id' }),
});

const certificateRouteSchemas: Record<'list' | 'upload' | 'renew', DocumentedSchema> = {
  list: {
    summary: 'List certificates',
    description:
      'Host, issuer, validity, source (acme or uploaded) and the last ACME error; an agency sees its own hosts.',
    tags: ['certificates'],
    access: 'agency',
  },
  upload: {
    summary: 'Upload a certificate and key (PEM)',
    description:
      'Checked before it is stored: the key matches, the chain parses, the names cover the host, not expired (400 CERT_*).',
    tags: ['certificates'],
    access: 'agency',
    params: HostParams,
    body: UploadBodySchema,
  },
  renew: {
    summary: 'Order a new certificate now (ACME)',
    tags: ['certificates'],
    access: 'agency',
    params: HostParams,
  },
};

export function registerCertificateRoutes(
  app: FastifyInstance,
  service: CertificateService,
  access: CertificateAccess = ADMIN_ONLY_ACCESS,
): void {
  app.get('/v1/certificates', { schema: certificateRouteSchemas.list }, async (request) => {
    const principal = requirePrincipal(request.principal);
    const all = await service.list();
    return { certificates: all.filter((c) => access.canSee(principal, c.host)) };
  });
  app.put<{ Params: { host: string } }>(
    '/v1/certificates/:host',
    { schema: certificateRouteSchemas.upload },
    async (request, reply) => {
      const host = service.normalize(request.params.host);
      const principal = requirePrincipal(request.principal);
      access.assertHost(principal, host);
      const { view, created } = await service.upload(host, request.body, { principal, ip: request.ip });
      return reply.code(created ? 201 : 200).send(view);
    },
  );
  app.post<{ Params: { host: string } }>(
    '/v1/certificates/:host/renew',
    { schema: certificateRouteSchemas.renew },
    async (request, reply) => {
      const host = service.normalize(request.params.host);
      const principal = requirePrincipal(request.principal);
      access.assertHost(principal, host);
      await service.renew(host, { principal, ip: request.ip });
      return reply.code(202).send({ host, status: 'ordering' });
    },
  );
}
