/** A public listener's fastify app: host and path routing onto the snapshot, streamed proxying through reply-from. */
import { METHODS, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import replyFrom from '@fastify/reply-from';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { GatewayConfig } from '../config/schema.js';
import { normalizeRequestHost } from '../model/host-name.js';
import type { RequestObserver } from '../observability/request-observer.js';
import { CacheFlow } from './cache/cache-flow.js';
import type { SharedCache } from './cache/shared-cache.js';
import type { ServiceDirectory } from './directory/service-directory.js';
import { answerNoHealthyTarget } from './health/no-healthy-target.js';
import { sendMaintenance } from './maintenance-page.js';
import { sendOwnError } from './own-replies.js';
import { buildProxyOptions, type ProxyOptionsInput } from './proxy-options.js';
import { newRequestContext } from './request-context.js';
import { requestIdOf } from './request-id.js';
import { findHost, findRoute, upstreamPath } from './router.js';
import type { SnapshotHolder } from './snapshot.js';
import {
  ACME_CHALLENGE_PATH,
  answerChallenge,
  type ChallengeLookup,
  redirectToHttps,
} from './tls/plain-http.js';
import { compileTrustedProxies } from './trusted-proxies.js';
import { attachUpgradeProxy } from './upgrade-proxy.js';
import type { UpstreamPools } from './upstream-pools.js';

export interface PublicAppOptions {
  scheme: 'http' | 'https';
  config: GatewayConfig;
  holder: SnapshotHolder;
  pools: UpstreamPools;
  observer: RequestObserver;
  /** For HTTPS: the TLS server options (SNI callback); absent for plain HTTP. */
  https?: import('node:tls').TlsOptions;
  /** For plain HTTP: answers ACME HTTP-01 tokens (any host, before routing); absent = not answered. */
  acmeChallenge?: ChallengeLookup;
  /** The shared cache; absent = no route caches on this listener. */
  cache?: SharedCache;
  /** The public service directory, answered on its own host name; absent = not served. */
  directory?: ServiceDirectory;
  /** Told when a refused or reset idempotent request went once more to another target (metrics). */
  onRetry?: ProxyOptionsInput['onRetry'];
}

export async function buildPublicApp(options: PublicAppOptions): Promise<FastifyInstance> {
  const { config, holder, observer, scheme, directory } = options;
  const acmeChallenge = scheme === 'http' ? options.acmeChallenge : undefined;
  const isPlain = scheme === 'http';
  const limits = config.limits;
  const app = Fastify({
    logger: false,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    requestIdHeader: false,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerConnection,
    requestTimeout: limits.requestTimeoutMs,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // The security baseline: strict parser, bounded headers. Fastify passes `http` to http.createServer.
    http: { maxHeaderSize: limits.maxHeaderSize, insecureHTTPParser: false },
    ...(options.https ? { https: options.https } : {}),
    frameworkErrors: (_err: Error, _request: FastifyRequest, reply: FastifyReply) =>
      sendOwnError(reply, 'BAD_REQUEST'),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  const server = app.server as Server;
  observer.observeListener(server, scheme);
  server.headersTimeout = limits.headersTimeoutMs;

  // A proxy forwards every method Node's parser accepts (WebDAV's PROPFIND, MKCOL, ...), body included.
  for (const method of METHODS) {
    if (method !== 'CONNECT' && !app.supportedMethods.includes(method))
      app.addHttpMethod(method, { hasBody: true });
  }

  // Bodies are never parsed: whatever the content type, the raw stream goes to the backend.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  await app.register(replyFrom, {
    undici: options.pools as unknown as { request: never },
    disableRequestLogging: true,
    disableCache: true,
  });

  const isTrusted = compileTrustedProxies(config.trustedProxies);
  const proxyOptions = buildProxyOptions({
    scheme,
    isTrusted,
    onUpstreamError: observer.onUpstreamError,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  const cacheFlow =
    options.cache === undefined
      ? undefined
      : new CacheFlow({
          cache: options.cache,
          scheme,
          base: proxyOptions,
          pools: options.pools,
          onUpstreamError: observer.onUpstreamError,
        });

  app.decorateRequest('gerbang', null as never);
  app.addHook('onResponse', (request, reply, done) => {
    observer.onResponse(request, reply);
    done();
  });

  function handle(request: FastifyRequest, reply: FastifyReply): void {
    const raw = request.raw;
    const ctx = newRequestContext();
    request.gerbang = ctx;
    if (acmeChallenge !== undefined && raw.url?.startsWith(ACME_CHALLENGE_PATH)) {
      answerChallenge(reply, raw.url, acmeChallenge);
      return;
    }
    const hostName = normalizeRequestHost(raw.headers.host);
    if (hostName === undefined) {
      sendOwnError(reply, 'BAD_REQUEST');
      return;
    }
    if (directory !== undefined && hostName === directory.host) {
      directory.serve(reply, raw.url ?? '/');
      return;
    }
    const host = findHost(holder.current, hostName);
    if (host === undefined) {
      sendOwnError(reply, 'HOST_NOT_FOUND');
      return;
    }
    ctx.host = host;
    if (host.forceHttps && isPlain) {
      redirectToHttps(reply, hostName, raw.url ?? '/');
      return;
    }
    if (host.hsts !== undefined && !isPlain) reply.header('strict-transport-security', host.hsts);
    if (host.maintenance !== undefined) {
      sendMaintenance(reply, host.maintenance);
      return;
    }
    const url = raw.url ?? '/';
    // Only origin-form targets are routed: an absolute-form URL must not pick its own upstream.
    if (url.charCodeAt(0) !== 47 /* / */) {
      sendOwnError(reply, 'BAD_REQUEST');
      return;
    }
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = findRoute(host, path);
    if (route === undefined) {
      sendOwnError(reply, 'NOT_FOUND');
      return;
    }
    ctx.route = route;
    const cachePlan = route.cache;
    const balancer = route.balancer;
    const now = performance.now();
    if (cachePlan !== undefined && cacheFlow !== undefined) {
      // Every target out: the stored page (serveStaleOnError, stale-if-error) rather than a doomed attempt.
      if (!balancer.hasAvailable(now)) {
        answerNoHealthyTarget(request, reply, cacheFlow, cachePlan, `${scheme}://${hostName}${url}`);
        return;
      }
      if (cacheFlow.intercept(request, reply, cachePlan, hostName, url, path, q)) return;
    }
    const target = balancer.choose(
      now,
      balancer.policy === 'clientHash' ? raw.socket.remoteAddress : undefined,
    );
    if (target === undefined) {
      sendOwnError(reply, 'UPSTREAM_UNAVAILABLE');
      return;
    }
    ctx.target = target;
    const source = target.origin + upstreamPath(route, path) + (q < 0 ? '' : url.slice(q));
    try {
      reply.from(source, proxyOptions);
    } catch {
      // reply-from refuses dot-segment escapes and undecodable paths by throwing.
      sendOwnError(reply, 'BAD_REQUEST');
    }
  }

  app.all('*', handle);
  app.setNotFoundHandler(handle);
  app.setErrorHandler((err, request, reply) => {
    request.gerbang ??= newRequestContext();
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return sendOwnError(reply, 'BAD_REQUEST', status);
    observer.onInternalError(request, err);
    sendOwnError(reply, 'BAD_GATEWAY');
  });

  attachUpgradeProxy(server, { holder, scheme, isTrusted, observer, policy: options.pools.policy });
  return app;
}
