/**
 * A public listener's fastify app: host and path routing onto the snapshot, streamed proxying on undici's dispatch
 * API (proxy/forward.ts); fastify keeps the request and reply objects, the hooks and the error handler.
 */
import { type IncomingMessage, METHODS, type RequestListener, type Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { DEFAULT_FAST_PATHS, DEFAULT_TIME_ZONE } from '../../config/defaults.js';
import { resolveHttp2Config } from '../../config/http2-config.js';
import type { GatewayConfig } from '../../config/schema.js';
import type { CounterSlot } from '../../observability/bound-metrics.js';
import {
  observeAs,
  type RequestArrival,
  type RequestObserver,
} from '../../observability/request-observer.js';
import { CacheFlow } from '../cache/cache-flow.js';
import { createFreshHitFront, type FreshHitFront } from '../cache/fresh-hit-front.js';
import type { SharedCache } from '../cache/shared-cache.js';
import type { CompressionMeter } from '../compression/compression-meter.js';
import type { DefacementWatch } from '../defacement/defacement-watch.js';
import type { ServiceDirectory } from '../directory/service-directory.js';
import { answerNoHealthyTarget } from '../health/no-healthy-target.js';
import type { ConnectionCut } from '../limits/connection-guard.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { sendRateLimited } from '../limits/rate-reply.js';
import { sendMaintenance } from '../pages/maintenance-page.js';
import { sendOwnError } from '../pages/own-replies.js';
import type { PageSettings } from '../pages/page-onward.js';
import { sendAuthRequired, verifyCredentials } from '../policy/basic-auth-reply.js';
import { refusalCode } from '../policy/refusal-code.js';
import { createProxiedFront, type ProxiedFront } from '../proxy/proxied-front.js';
import { buildProxyOptions, type ProxyOptionsInput } from '../proxy/proxy-options.js';
import { sendToTarget } from '../proxy/send-to-target.js';
import { attachUpgradeProxy } from '../proxy/upgrade-proxy.js';
import type { UpstreamPools } from '../proxy/upstream-pools.js';
import { createPublicAuthority } from '../routing/public-authority.js';
import { publicPortAuthority } from '../routing/redirect-plan.js';
import { sendRedirect } from '../routing/redirect-reply.js';
import { newRequestContext } from '../routing/request-context.js';
import { requestIdOf } from '../routing/request-id.js';
import { createRoutingFront, type RouteRouting } from '../routing/routing-front.js';
import type { SnapshotHolder } from '../routing/snapshot.js';
import { compileTrustedProxies } from '../routing/trusted-proxies.js';
import { answerChallenge, type ChallengeLookup, httpsLocation, redirectToHttps } from '../tls/plain-http.js';
import { answerClientError } from './client-error.js';
import { adoptHttp2Request } from './h2-request.js';
import { createListenerServer } from './listener-server.js';

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
  /** Told when the listener caps close a client connection (metrics). */
  onConnectionCut?: (listener: 'http' | 'https', reason: ConnectionCut) => void;
  /** Requests counted by protocol (metrics); absent: not counted. */
  requestsByProtocol?: { h1: CounterSlot; h2: CounterSlot };
  /** The data plane's rate limiter, shared by both listeners; absent = no rate limits. */
  rateLimiter?: RateLimiter;
  /** Compression counters (bytes before and after, compressor runs); absent = not counted. */
  compression?: CompressionMeter;
  /** Checks a sample of the proxied HTML for defacement (issue 18); absent = not checked. */
  defacement?: DefacementWatch;
}

/** A request fastify answers without handle() (its router's refusal, a thrown error): it is logged with a context too. */
function observeOutsideHandle(request: FastifyRequest): void {
  request.gerbang ??= newRequestContext();
  observeAs(request.raw, request);
}

export async function buildPublicApp(options: PublicAppOptions): Promise<FastifyInstance> {
  const { config, holder, observer, scheme, directory, pools } = options;
  const acmeChallenge = scheme === 'http' ? options.acmeChallenge : undefined;
  const isPlain = scheme === 'http';
  const limits = config.limits;
  // config.fastPaths false: every request through fastify (the same answers, at a higher cost per request).
  const fastPaths = config.fastPaths ?? DEFAULT_FAST_PATHS;
  // The front answers fresh cache hits before fastify builds a request and a reply; set once the cache flow exists.
  let front: FreshHitFront | undefined;
  // Then bodyless proxied requests on routes the cache has no say in: also before fastify.
  let proxiedFront: ProxiedFront | undefined;
  let arrived: RequestArrival | undefined;
  let closing = false;
  // HTTP/2 requests whose name the connection's certificate does not cover: answered 421 by handle().
  const misdirected = new WeakSet<IncomingMessage>();
  const byProtocol = options.requestsByProtocol;
  const app = Fastify({
    logger: false,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    requestIdHeader: false,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    serverFactory: (handler: RequestListener) =>
      createListenerServer(
        limits,
        options.https,
        (req, res) => {
          // HTTP/2 (HTTPS only) takes the HTTP/1.1 path once Host is its :authority; a misdirected one skips the cache front.
          if (req.httpVersionMajor === 2) {
            byProtocol?.h2.inc();
            if (adoptHttp2Request(req)) {
              misdirected.add(req);
              arrived?.(req, res);
              handler(req, res);
              return;
            }
          } else byProtocol?.h1.inc();
          if (front?.(req, res) || proxiedFront?.(req, res)) return;
          arrived?.(req, res);
          handler(req, res);
        },
        {
          exempt: compileTrustedProxies(config.trustedProxies),
          onCut: (reason) => options.onConnectionCut?.(scheme, reason),
        },
        isPlain ? undefined : (config.http2 ?? resolveHttp2Config(undefined)),
      ),
    // fastify's router refuses an undecodable path before the handler: the routing front still names the code.
    frameworkErrors: (_err: Error, request: FastifyRequest, reply: FastifyReply) => {
      observeOutsideHandle(request);
      const routing = routeOf(request.raw);
      if (routing.kind === 'probe-blocked' || routing.kind === 'access-denied')
        return sendOwnError(reply, refusalCode(routing));
      if (routing.kind === 'rate-limited') return sendRateLimited(reply, routing.verdict);
      sendOwnError(reply, routing.kind === 'bad-request' ? routing.code : 'BAD_REQUEST');
    },
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  const server = app.server as Server;
  arrived = observer.observeListener(server, scheme);

  // A proxy forwards every method Node's parser accepts (WebDAV's PROPFIND, MKCOL, ...), body included.
  for (const method of METHODS) {
    if (method !== 'CONNECT' && !app.supportedMethods.includes(method))
      app.addHttpMethod(method, { hasBody: true });
  }

  // Bodies are never parsed: whatever the content type, the raw stream goes to the backend.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  const isTrusted = compileTrustedProxies(config.trustedProxies);
  const proxyOptions = buildProxyOptions({
    scheme,
    authority: createPublicAuthority(scheme, config[scheme], server),
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

  const routeOf = createRoutingFront({
    holder,
    isPlain,
    answersAcme: acmeChallenge !== undefined,
    directoryHost: directory?.host,
    isTrusted,
    events: observer.policyEvents,
    locationAuthority: publicPortAuthority({
      http: config.http.publicPort,
      https: config.https.publicPort,
    }),
    rates: options.rateLimiter,
  });
  if (options.cache !== undefined && fastPaths)
    front = createFreshHitFront({
      scheme,
      routing: routeOf,
      cache: options.cache,
      observer,
      compression: options.compression,
      isClosing: () => closing,
    });

  app.decorateRequest('gerbang', null as never);
  // Every own page links to the directory on this listener's scheme and public port (page-onward.ts).
  const pageAuthority = createPublicAuthority(scheme, config[scheme], server);
  const directoryHost = directory?.host;
  const pages: PageSettings = {
    timeZone: config.timeZone ?? DEFAULT_TIME_ZONE,
    directoryUrl: () =>
      directoryHost === undefined ? undefined : `${scheme}://${pageAuthority.of(directoryHost)}/`,
  };
  app.decorate('gerbangPages', pages);
  if (options.compression !== undefined) app.decorate('gerbangCompression', options.compression);
  if (options.defacement !== undefined) app.decorate('gerbangDefacement', options.defacement);
  if (fastPaths && arrived !== undefined)
    proxiedFront = createProxiedFront({
      scheme,
      routing: routeOf,
      pools,
      hooks: proxyOptions,
      observer,
      arrived,
      services: {
        gerbangPages: pages,
        gerbangCompression: options.compression,
        gerbangDefacement: options.defacement,
      },
      hasCache: cacheFlow !== undefined,
      isClosing: () => closing,
    });

  function handle(request: FastifyRequest, reply: FastifyReply): void {
    const raw = request.raw;
    const ctx = newRequestContext();
    request.gerbang = ctx;
    observeAs(raw, request);
    if (raw.httpVersionMajor === 2 && misdirected.has(raw)) {
      sendOwnError(reply, 'MISDIRECTED_REQUEST');
      return;
    }
    const routing = routeOf(raw);
    switch (routing.kind) {
      // The routing front names these only when they are served here; the checks keep the compiler sure.
      case 'acme-challenge':
        if (acmeChallenge === undefined) sendOwnError(reply, 'NOT_FOUND');
        else answerChallenge(reply, routing.url, acmeChallenge);
        return;
      case 'directory':
        if (directory === undefined) sendOwnError(reply, 'NOT_FOUND');
        else directory.serve(reply, routing.url);
        return;
      case 'unknown-host':
        sendOwnError(reply, 'HOST_NOT_FOUND');
        return;
      case 'force-https':
        ctx.host = routing.host;
        redirectToHttps(reply, httpsLocation(routing.hostName, routing.url, config.https.publicPort));
        return;
    }
    const host = routing.host;
    ctx.host = host;
    if (host !== undefined && host.hsts !== undefined && !isPlain)
      reply.header('strict-transport-security', host.hsts);
    switch (routing.kind) {
      case 'bad-request':
        sendOwnError(reply, routing.code);
        return;
      case 'maintenance':
        sendMaintenance(reply, routing.plan);
        return;
      case 'no-route':
        sendOwnError(reply, 'NOT_FOUND');
        return;
      case 'probe-blocked':
      case 'access-denied':
        sendOwnError(reply, refusalCode(routing));
        return;
      case 'rate-limited':
        sendRateLimited(reply, routing.verdict);
        return;
      case 'redirect':
        sendRedirect(reply, routing.status, routing.location);
        return;
      case 'auth-required':
        sendAuthRequired(reply, routing.plan);
        return;
      case 'auth-verify':
        verifyCredentials(
          raw,
          routing,
          (pass) => proxyRoute(request, reply, pass),
          () => {
            observer.policyEvents?.authFailed?.(raw, routing.host);
            sendAuthRequired(reply, routing.plan);
          },
        );
        return;
    }
    proxyRoute(request, reply, routing);
  }

  /** Cache, then a backend: for a routed request that passed every edge policy. */
  function proxyRoute(request: FastifyRequest, reply: FastifyReply, routing: RouteRouting): void {
    const ctx = request.gerbang;
    const { route, hostName, url, path, q } = routing;
    ctx.route = route;
    ctx.hostName = hostName;
    const cachePlan = route.cache;
    if (cachePlan !== undefined && cacheFlow !== undefined) {
      // Every target out: the stored page (serveStaleOnError, stale-if-error) rather than a doomed attempt.
      if (!route.balancer.hasAvailable(performance.now())) {
        answerNoHealthyTarget(request, reply, cacheFlow, cachePlan, `${scheme}://${hostName}${url}`);
        return;
      }
      if (cacheFlow.intercept(request, reply, cachePlan, hostName, url, path, q)) return;
    }
    sendToTarget(request, reply, routing, pools, proxyOptions);
  }

  app.all('*', handle);
  app.setNotFoundHandler(handle);
  app.setErrorHandler((err, request, reply) => {
    observeOutsideHandle(request);
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500)
      return sendOwnError(reply, 'BAD_REQUEST', status);
    observer.onInternalError(request, err);
    sendOwnError(reply, 'BAD_GATEWAY');
  });

  attachUpgradeProxy(server, {
    routing: routeOf,
    authority: createPublicAuthority(scheme, config[scheme], server),
    httpsPublicPort: config.https.publicPort,
    scheme,
    isTrusted,
    observer,
    policy: options.pools.policy,
    pages,
  });
  return app;
}
