/** Admin API routes for certificates: GET /v1/certificates, PUT /v1/certificates/{host}, POST /v1/certificates/{host}/renew. */
import type { FastifyInstance } from 'fastify';
import { ADMIN_ONLY_ACCESS, type CertificateAccess, requirePrincipal } from './access.js';
import type { CertificateService } from './certificate-service.js';

export function registerCertificateRoutes(
  app: FastifyInstance,
  service: CertificateService,
  access: CertificateAccess = ADMIN_ONLY_ACCESS,
): void {
  app.get('/v1/certificates', async (request) => {
    const principal = requirePrincipal(request.principal);
    const all = await service.list();
    return { certificates: all.filter((c) => access.canSee(principal, c.host)) };
  });
  app.put<{ Params: { host: string } }>('/v1/certificates/:host', async (request, reply) => {
    const host = service.normalize(request.params.host);
    access.assertHost(requirePrincipal(request.principal), host);
    const { view, created } = await service.upload(host, request.body);
    return reply.code(created ? 201 : 200).send(view);
  });
  app.post<{ Params: { host: string } }>('/v1/certificates/:host/renew', async (request, reply) => {
    const host = service.normalize(request.params.host);
    access.assertHost(requirePrincipal(request.principal), host);
    service.renew(host);
    return reply.code(202).send({ host, status: 'ordering' });
  });
}
