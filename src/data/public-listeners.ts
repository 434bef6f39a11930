/** Both public listeners of one data plane (HTTP and HTTPS), built alike whether in the single process or a cluster worker. */
import type { TlsOptions } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../observability/metrics.js';
import { buildPublicApp, type PublicAppOptions } from './public-app.js';

export type SharedListenerOptions = Omit<PublicAppOptions, 'scheme' | 'https' | 'acmeChallenge' | 'onRetry'>;

export interface PublicListeners {
  http: FastifyInstance;
  https: FastifyInstance;
}

export async function buildPublicListeners(
  shared: SharedListenerOptions,
  metrics: GatewayMetrics,
  tls: { https: TlsOptions; acmeChallenge: NonNullable<PublicAppOptions['acmeChallenge']> },
): Promise<PublicListeners> {
  const onRetry: NonNullable<PublicAppOptions['onRetry']> = (request, reason) =>
    metrics.upstreamRetries.inc({ host: request.gerbang.host?.name ?? '', reason });
  const http = await buildPublicApp({ ...shared, scheme: 'http', acmeChallenge: tls.acmeChallenge, onRetry });
  const https = await buildPublicApp({ ...shared, scheme: 'https', https: tls.https, onRetry });
  return { http, https };
}

/** Stops accepting, lets in-flight requests finish, and cuts what is still open when the deadline passes. */
export async function drainListeners(listeners: PublicListeners, deadlineMs: number): Promise<void> {
  const deadline = setTimeout(() => {
    listeners.http.server.closeAllConnections();
    listeners.https.server.closeAllConnections();
  }, deadlineMs);
  deadline.unref();
  await Promise.all([listeners.http.close(), listeners.https.close()]);
  clearTimeout(deadline);
}
