/** WebSocket upgrades: routed and checked like any request, then the two sockets are spliced; every other outcome answers and closes both. */

import {
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { DEFAULT_LINGERING_CLOSE_MS, MAX_UPGRADE_EARLY_BYTES } from '../../config/defaults.js';
import type { TargetPolicy } from '../../model/target-policy.js';
import type { RequestObserver } from '../../observability/request-observer.js';
import { rateLimitFields } from '../limits/rate-fields.js';
import { onwardFor, type PageSettings } from '../pages/page-onward.js';
import { verifyCredentials } from '../policy/basic-auth-reply.js';
import { refusalCode } from '../policy/refusal-code.js';
import { applyRuleSet } from '../policy/response-headers.js';
import type { PublicAuthority } from '../routing/public-authority.js';
import { requestIdOf } from '../routing/request-id.js';
import { upstreamPath } from '../routing/router.js';
import type { Routing, RoutingFront } from '../routing/routing-front.js';
import type { TrustCheck } from '../routing/trusted-proxies.js';
import { httpsLocation } from '../tls/plain-http.js';
import { markRefused } from './balancer.js';
import { isAlwaysDropped, isClientClaim } from './client-claims.js';
import { guardedLookup } from './guarded-connector.js';
import { connectionNamed, HOP_BY_HOP, NEVER_FORWARDED } from './hop-by-hop.js';
import { closeAfterAnswer } from './lingering-close.js';
import {
  type HeaderLines,
  maintenanceForUpgrade,
  redirectUpgrade,
  redirectUpgradeToHttps,
  refuseUpgrade,
  responseHead,
} from './upgrade-replies.js';
import { trackUpgraded } from './upgraded-connections.js';
import { classifyUpstreamError } from './upstream-errors.js';

export interface UpgradeProxyOptions {
  /** The listener's routing front: an upgrade passes the same edge checks as any request. */
  routing: RoutingFront;
  /** Host (preserveHost) and X-Forwarded-Host/-Port, as the proxied path writes them. */
  authority: PublicAuthority;
  scheme: 'http' | 'https';
  isTrusted: TrustCheck;
  observer: RequestObserver;
  /** The SSRF policy, checked again when connecting: a name may resolve elsewhere than at registration. */
  policy?: TargetPolicy | undefined;
  /** `listen.https.publicPort`: where a forceHttps host's upgrade is redirected. */
  httpsPublicPort?: number | undefined;
  /** The listener's page settings (time zone, directory link) for the pages answered on the socket. */
  pages?: PageSettings | undefined;
}

/** Request fields never passed on (the upgrade's own Connection/Upgrade are written afresh). */

type RouteRouting = Extract<Routing, { kind: 'route' }>;

/** The upstream request's headers, by the rules of proxy-options.ts: no hop-by-hop, no claims from untrusted peers. */
function upstreamHeaders(
  req: IncomingMessage,
  routing: RouteRouting,
  requestId: string,
  options: UpgradeProxyOptions,
  targetAuthority: string,
): OutgoingHttpHeaders {
  const peer = req.socket.remoteAddress ?? '';
  const trusted = options.isTrusted(peer);
  const named = connectionNamed(req.headers.connection);
  const h: OutgoingHttpHeaders = {};
  for (const name in req.headers) {
    if (NEVER_FORWARDED.has(name) || named?.has(name) || isAlwaysDropped(name)) continue;
    if (!trusted && isClientClaim(name)) continue;
    h[name] = req.headers[name];
  }
  // The host's request rules apply to an upgrade as to any request, before Gerbang's own fields.
  const rules = routing.route.requestHeaders;
  if (rules !== undefined) applyRuleSet(rules, h as Record<string, string | string[] | undefined>);
  const publicHost = options.authority.of(routing.hostName);
  if (trusted) {
    const prior = h['x-forwarded-for'];
    h['x-forwarded-for'] = typeof prior === 'string' && prior ? `${prior}, ${peer}` : peer;
    h['x-forwarded-proto'] ??= options.scheme;
    h['x-forwarded-host'] ??= publicHost;
    h['x-forwarded-port'] ??= options.authority.port();
  } else {
    h['x-forwarded-for'] = peer;
    h['x-forwarded-proto'] = options.scheme;
    h['x-forwarded-host'] = publicHost;
    h['x-forwarded-port'] = options.authority.port();
  }
  h['x-request-id'] = requestId;
  h.host = routing.route.preserveHost ? publicHost : targetAuthority;
  h.connection = 'Upgrade';
  h.upgrade = 'websocket';
  return h;
}

/** A backend's response head as relayed to the client: its own X-Request-Id, and no hop-by-hop field unless it is a 101. */
function relayedHead(
  res: IncomingMessage,
  requestId: string,
  extra: HeaderLines,
  switching: boolean,
): string {
  const named = switching ? undefined : connectionNamed(res.headers.connection);
  const lines: Array<readonly [string, string]> = [];
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (name === 'x-request-id') continue;
    // The body is relayed decoded and ends with the connection: its framing fields no longer apply.
    if (!switching && (HOP_BY_HOP.includes(name) || named?.has(name))) continue;
    lines.push([raw[i] as string, raw[i + 1] as string]);
  }
  lines.push(['X-Request-Id', requestId], ...extra);
  if (!switching) return responseHead(res.statusCode ?? 502, lines, res.statusMessage);
  let head = `HTTP/1.1 101 ${res.statusMessage || 'Switching Protocols'}\r\n`;
  for (const [name, value] of lines) head += `${name}: ${value}\r\n`;
  return `${head}\r\n`;
}

/** Splices client and backend sockets; when either ends, the other is ended and both are gone within the linger. */
function splice(socket: Duplex, upstreamSocket: Duplex): void {
  const destroyBoth = (): void => {
    socket.destroy();
    upstreamSocket.destroy();
  };
  socket.once('close', () => upstreamSocket.destroy());
  upstreamSocket.once('close', () => socket.destroy());
  socket.on('error', destroyBoth);
  upstreamSocket.on('error', destroyBoth);
  let lingering = false;
  const halfClosed = (): void => {
    if (lingering) return;
    lingering = true;
    // A WebSocket has nothing to say after its close: a side that does not follow within the linger is cut.
    setTimeout(destroyBoth, DEFAULT_LINGERING_CLOSE_MS).unref();
  };
  socket.once('end', halfClosed);
  upstreamSocket.once('end', halfClosed);
  upstreamSocket.pipe(socket);
  socket.pipe(upstreamSocket);
}

export function attachUpgradeProxy(server: Server, options: UpgradeProxyOptions): void {
  const { scheme, observer, policy } = options;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    trackUpgraded(server, socket);
    socket.on('error', () => socket.destroy());
    const requestId = requestIdOf(req);
    // Draining: the listener is closed and this came on a connection opened before (fastify's return503OnClosing).
    if (!server.listening) return refuseUpgrade(socket, req, requestId, 'SHUTTING_DOWN');
    const protocols = (req.headers.upgrade ?? '')
      .toLowerCase()
      .split(',')
      .map((p) => p.trim());
    if (!protocols.includes('websocket') || protocols.includes('h2c'))
      return refuseUpgrade(socket, req, requestId, 'BAD_REQUEST');

    const routing = options.routing(req);
    const host = 'host' in routing ? routing.host : undefined;
    const hsts: HeaderLines =
      scheme === 'https' && host?.hsts !== undefined ? [['Strict-Transport-Security', host.hsts]] : [];
    switch (routing.kind) {
      case 'acme-challenge':
      case 'directory':
        // Gerbang's own pages take no upgrade.
        return refuseUpgrade(socket, req, requestId, 'NOT_FOUND');
      case 'bad-request':
        return refuseUpgrade(socket, req, requestId, routing.code, hsts);
      case 'unknown-host':
        return refuseUpgrade(
          socket,
          req,
          requestId,
          'HOST_NOT_FOUND',
          [],
          onwardFor(options.pages, undefined),
        );
      case 'force-https':
        return redirectUpgradeToHttps(
          socket,
          requestId,
          httpsLocation(routing.hostName, routing.url, options.httpsPublicPort),
        );
      case 'maintenance':
        return maintenanceForUpgrade(socket, req, requestId, routing.plan, hsts, {
          timeZone: options.pages?.timeZone,
          onward: onwardFor(options.pages, host),
        });
      case 'no-route':
        return refuseUpgrade(
          socket,
          req,
          requestId,
          'NOT_FOUND',
          hsts,
          onwardFor(options.pages, host),
          host?.errorPages,
        );
      case 'redirect':
        return redirectUpgrade(socket, requestId, routing.status, routing.location, hsts);
      case 'auth-required':
        return refuseUpgrade(socket, req, requestId, 'AUTH_REQUIRED', [
          ...hsts,
          ['WWW-Authenticate', routing.plan.challenge],
        ]);
      case 'auth-verify':
        return verifyCredentials(req, routing, proceed, () => {
          observer.policyEvents?.authFailed?.(req, routing.host);
          refuseUpgrade(socket, req, requestId, 'AUTH_REQUIRED', [
            ...hsts,
            ['WWW-Authenticate', routing.plan.challenge],
          ]);
        });
      case 'probe-blocked':
      case 'access-denied':
        return refuseUpgrade(
          socket,
          req,
          requestId,
          refusalCode(routing),
          hsts,
          onwardFor(options.pages, host),
          host?.errorPages,
        );
      case 'rate-limited':
        return refuseUpgrade(
          socket,
          req,
          requestId,
          'RATE_LIMITED',
          [...hsts, ...rateLimitFields(routing.verdict)],
          onwardFor(options.pages, host),
          host?.errorPages,
        );
    }
    proceed(routing);

    /** The upgrade goes to a backend: for a routed request that passed every edge policy. */
    function proceed(routing: RouteRouting): void {
      const { route, path, url, q } = routing;
      const balancer = route.balancer;
      const peer = req.socket.remoteAddress;
      const target = balancer.pick(performance.now(), balancer.policy === 'clientHash' ? peer : undefined);
      const parsed = balancer.parsed[balancer.targets.indexOf(target)];
      if (parsed === undefined) {
        refuseUpgrade(socket, req, requestId, 'BAD_GATEWAY', hsts);
        return;
      }
      const bareHost = parsed.hostname.replace(/^\[|\]$/g, '');
      if (policy && isIP(bareHost) !== 0 && policy.refusal(bareHost, parsed.port)) {
        refuseUpgrade(socket, req, requestId, 'BAD_GATEWAY', hsts);
        return;
      }

      const upstream: ClientRequest = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)({
        host: parsed.hostname,
        port: parsed.port,
        method: req.method,
        path: upstreamPath(route, path) + (q < 0 ? '' : url.slice(q)),
        headers: upstreamHeaders(req, routing, requestId, options, `${parsed.hostname}:${parsed.port}`),
        // A connection of its own: it becomes the tunnel, or closes with the answer; never a pooled one.
        agent: false,
        timeout: route.timeouts.connectMs + route.timeouts.responseMs,
        ...(policy ? { lookup: guardedLookup(policy, () => parsed.port) } : {}),
      });
      let phase: 'waiting' | 'answering' | 'tunnel' = 'waiting';
      // The client left before the backend answered: nothing waits for it any more.
      socket.once('close', () => {
        if (phase !== 'tunnel') upstream.destroy();
      });
      // Read while waiting, or a client's FIN goes unseen until the backend's timeout; what it sends is kept for
      // the tunnel (a client may speak before the 101), up to a bound beyond which TCP holds the rest.
      const early: Buffer[] = [];
      let earlyBytes = 0;
      const onEarly = (chunk: Buffer): void => {
        early.push(chunk);
        earlyBytes += chunk.length;
        if (earlyBytes >= MAX_UPGRADE_EARLY_BYTES) socket.pause();
      };
      const onClientEnd = (): void => {
        if (phase === 'waiting') socket.destroy();
      };
      const stopReadingEarly = (): void => {
        socket.off('data', onEarly);
        socket.off('end', onClientEnd);
        socket.pause();
      };
      socket.on('data', onEarly);
      socket.once('end', onClientEnd);
      socket.resume();
      upstream.on('timeout', () =>
        upstream.destroy(Object.assign(new Error('upgrade timed out'), { code: 'UND_ERR_HEADERS_TIMEOUT' })),
      );
      upstream.on('error', (err) => {
        // After an answer began, or when the client left (we aborted): nothing to tell anyone.
        if (phase !== 'waiting' || socket.destroyed) return void socket.destroy();
        stopReadingEarly();
        const classified = classifyUpstreamError(err);
        if (classified.reason === 'refused') markRefused(target, performance.now());
        observer.onUpstreamError(undefined, classified.reason, err);
        refuseUpgrade(socket, req, requestId, classified.code, hsts);
      });
      upstream.on('response', (res: IncomingMessage) => {
        // The backend declined the upgrade: relay its answer, then close both connections.
        phase = 'answering';
        stopReadingEarly();
        if (socket.destroyed) return void upstream.destroy();
        socket.write(relayedHead(res, requestId, hsts, false));
        res.pipe(socket, { end: false });
        res.once('end', () => {
          upstream.destroy();
          closeAfterAnswer(socket);
        });
        res.once('aborted', () => socket.destroy());
      });
      upstream.on('upgrade', (res: IncomingMessage, upstreamSocket: Duplex, upstreamHead: Buffer) => {
        phase = 'tunnel';
        stopReadingEarly();
        if (socket.destroyed) return void upstreamSocket.destroy();
        upstream.setTimeout(0);
        (upstreamSocket as Duplex & { setTimeout?(ms: number): void }).setTimeout?.(0);
        socket.write(relayedHead(res, requestId, [], true));
        if (upstreamHead.length > 0) socket.write(upstreamHead);
        if (head.length > 0) upstreamSocket.write(head);
        for (const chunk of early) upstreamSocket.write(chunk);
        splice(socket, upstreamSocket);
      });
      upstream.end();
    }
  });
}
