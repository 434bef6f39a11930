/** Konsol's /konsol/sertifikat: list, upload and renew through the certificate service and guard of /v1/certificates. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_CERTIFICATE_PEM_LENGTH } from '../../config/defaults.js';
import { isGerbangError } from '../../errors.js';
import type { CertificateAccess } from '../certificates/access.js';
import type { CertificateService } from '../certificates/certificate-service.js';
import type { HostService } from '../host-service.js';
import type { AccountRouteKit } from './account-routes.js';
import { type CertPageOptions, certificatesPage, type UploadField, type UploadForm } from './cert-page.js';
import { CERT_WORDS } from './cert-words.js';
import { page } from './konsol-page-doc.js';
import type { SignedIn } from './konsol-routes.js';

/** The service and the guard PUT /v1/certificates/{host} and POST .../renew use, shared so the rules are one. */
export interface CertificateAdmin {
  service: Pick<CertificateService, 'list' | 'upload' | 'renew' | 'normalize'>;
  access: CertificateAccess;
}

export interface CertPageKit extends Omit<AccountRouteKit, 'users'> {
  hosts: Pick<HostService, 'list'>;
  certificates: CertificateAdmin;
}

/** Two PEM fields at the API's limit, URL-encoded (a PEM's `+/=` and line ends take three bytes each). */
const UPLOAD_FORM_LIMIT = 3 * 2 * MAX_CERTIFICATE_PEM_LENGTH + 4096;

type Form = Record<string, string | undefined>;

/** The field an API refusal names ("/certificate: ...", "/key: ..."); anything else is about the host. */
function fieldOf(message: string): UploadField {
  if (message.startsWith('/certificate') || message.includes('at /certificate')) return 'certificate';
  if (message.startsWith('/key') || message.includes('at /key')) return 'key';
  return 'host';
}

export function registerCertPageRoutes(konsol: FastifyInstance, kit: CertPageKit): void {
  const { service, access } = kit.certificates;
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    extra: Omit<CertPageOptions, 'certificates' | 'hosts'> = {},
  ) => {
    const frame = {
      ...kit.frameOf(request, () => CERT_WORDS[kit.langOf(request)].title),
      user: kit.pageUser(who),
    };
    // Exactly GET /v1/certificates: the whole listing, filtered by the same guard.
    const certificates = (await service.list()).filter((c) => access.canSee(who.principal, c.host));
    const hosts = kit.hosts.list(who.principal).map((h) => h.host);
    return kit.html(reply, status, certificatesPage(frame, { certificates, hosts, ...extra }));
  };
  const back = (request: FastifyRequest, reply: FastifyReply, query: string) =>
    reply
      .code(303)
      .header('location', `/konsol/sertifikat?lang=${kit.langOf(request)}&${query}`)
      .send();

  konsol.get(
    '/sertifikat',
    page('Konsol: the certificates the user may see, with renew buttons and the upload form'),
    async (request, reply) => {
      const who = await kit.signedIn(request);
      if (who === undefined) return kit.toLogin(request, reply);
      const words = CERT_WORDS[kit.langOf(request)];
      const query = request.query as { uploaded?: unknown; renewing?: unknown };
      const named = (value: unknown) => (typeof value === 'string' ? value.slice(0, 300) : undefined);
      const uploaded = named(query.uploaded);
      const renewing = named(query.renewing);
      const notice =
        uploaded !== undefined
          ? words.uploaded.replace('{host}', uploaded)
          : renewing !== undefined
            ? words.renewOrdered.replace('{host}', renewing)
            : undefined;
      return show(request, reply, who, 200, notice ? { notice } : {});
    },
  );

  konsol.post(
    '/sertifikat',
    {
      ...page('Konsol: upload a certificate and key (form post; the checks of PUT /v1/certificates/{host})'),
      bodyLimit: UPLOAD_FORM_LIMIT,
    },
    async (request, reply) => {
      const who = await kit.forChange(request);
      const form = (request.body ?? {}) as Form;
      const typed: UploadForm = {
        host: (form.host ?? '').trim(),
        certificate: form.certificate ?? '',
        key: form.key ?? '',
      };
      let host: string;
      try {
        // The route's order: normalise the name, the guard, then the service's validation and audit.
        host = service.normalize(typed.host);
        access.assertHost(who.principal, host);
        await service.upload(
          host,
          { certificate: typed.certificate, key: typed.key },
          { principal: who.principal, ip: request.ip },
        );
      } catch (err) {
        if (!isGerbangError(err) || err.statusCode >= 500) throw err;
        // Nothing typed is lost: the form comes back filled, the API's refusal beside the field it names.
        const error = { field: fieldOf(err.message), message: `${err.code}: ${err.message}` };
        return show(request, reply, who, err.statusCode, { upload: { ...typed, error } });
      }
      return back(request, reply, `uploaded=${encodeURIComponent(host)}`);
    },
  );

  konsol.post<{ Params: { host: string } }>(
    '/sertifikat/:host/perbarui',
    page('Konsol: order a new certificate now (form post; the checks of POST /v1/certificates/{host}/renew)'),
    async (request, reply) => {
      const who = await kit.forChange(request);
      let host: string;
      try {
        host = service.normalize(request.params.host);
        access.assertHost(who.principal, host);
        await service.renew(host, { principal: who.principal, ip: request.ip });
      } catch (err) {
        if (!isGerbangError(err) || err.statusCode >= 500) throw err;
        return show(request, reply, who, err.statusCode, { error: `${err.code}: ${err.message}` });
      }
      return back(request, reply, `renewing=${encodeURIComponent(host)}`);
    },
  );
}
