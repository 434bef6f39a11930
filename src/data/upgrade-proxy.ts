/** WebSocket upgrades: routed like any request, then the two sockets are spliced; h2c and unknown upgrades are refused. */
import { request as httpRequest, type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { normalizeRequestHost } from '../model/host-name.js';
import type { TargetPolicy } from '../model/target-policy.js';
import type { RequestObserver } from '../observability/request-observer.js';
import { markRefused } from './balancer.js';
import { guardedLookup } from './guarded-connector.js';
import { requestIdOf } from './request-id.js';
import { findHost, findRoute, upstreamPath } from './router.js';
import type { SnapshotHolder } from './snapshot.js';
import type { TrustCheck } from './trusted-proxies.js';
import { classifyUpstreamError } from './upstream-errors.js';

export interface UpgradeProxyOptions {
  holder: SnapshotHolder;
  scheme: 'http' | 'https';
  isTrusted: TrustCheck;
  observer: RequestObserver;
  /** The SSRF policy, checked again when connecting: a name may resolve elsewhere than at registration. */
  policy?: TargetPolicy | undefined;
}

function refuse(socket: Duplex, status: number, requestId: string, message: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nX-Request-Id: ${requestId}\r\n\r\n${body}`,
  );
}

function headBlock(statusLine: string, rawHeaders: readonly string[], requestId: string): string {
  let out = `${statusLine}\r\n`;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === 'x-request-id') continue;
    out += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  }
  return `${out}X-Request-Id: ${requestId}\r\n\r\n`;
}

export function attachUpgradeProxy(server: Server, options: UpgradeProxyOptions): void {
  const { holder, scheme, isTrusted, observer, policy } = options;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const requestId = requestIdOf(req);
    const protocols = (req.headers.upgrade ?? '')
      .toLowerCase()
      .split(',')
      .map((p) => p.trim());
    if (protocols.includes('h2c')) return refuse(socket, 400, requestId, 'h2c upgrades are not supported');
    if (!protocols.includes('websocket'))
      return refuse(socket, 400, requestId, 'only WebSocket upgrades are supported');
    const hostName = normalizeRequestHost(req.headers.host);
    if (hostName === undefined) return refuse(socket, 400, requestId, 'missing or malformed Host');
    const host = findHost(holder.current, hostName);
    if (host === undefined) return refuse(socket, 404, requestId, 'unknown host');
    const url = req.url ?? '/';
    if (url.charCodeAt(0) !== 47) return refuse(socket, 400, requestId, 'bad request target');
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = findRoute(host, path);
    if (route === undefined) return refuse(socket, 404, requestId, 'no route');
    const target = route.balancer.pick(performance.now());
    const parsed = route.balancer.parsed[route.balancer.targets.indexOf(target)];
    if (parsed === undefined) return refuse(socket, 502, requestId, 'no target');

    if (policy && isIP(parsed.hostname.replace(/^\[|\]$/g, '')) !== 0) {
      const why = policy.refusal(parsed.hostname.replace(/^\[|\]$/g, ''), parsed.port);
      if (why) return refuse(socket, 502, requestId, 'backend unavailable');
    }
    const peer = req.socket.remoteAddress ?? '';
    const headers: Record<string, string | string[] | undefined> = { ...req.headers };
    delete headers['proxy-authorization'];
    if (isTrusted(peer)) {
      headers['x-forwarded-for'] = headers['x-forwarded-for']
        ? `${headers['x-forwarded-for']}, ${peer}`
        : peer;
      headers['x-forwarded-proto'] ??= scheme;
      headers['x-forwarded-host'] ??= req.headers.host;
    } else {
      delete headers.forwarded;
      headers['x-forwarded-for'] = peer;
      headers['x-forwarded-proto'] = scheme;
      headers['x-forwarded-host'] = req.headers.host;
    }
    headers['x-request-id'] = requestId;
    headers.connection = 'Upgrade';
    headers.upgrade = 'websocket';
    if (!route.preserveHost) headers.host = `${parsed.hostname}:${parsed.port}`;

    const upstream = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)({
      host: parsed.hostname,
      port: parsed.port,
      method: req.method,
      path: upstreamPath(route, path) + (q < 0 ? '' : url.slice(q)),
      headers,
      timeout: route.timeouts.connectMs + route.timeouts.responseMs,
      ...(policy ? { lookup: guardedLookup(policy, () => parsed.port) } : {}),
    });
    upstream.on('timeout', () =>
      upstream.destroy(Object.assign(new Error('upgrade timed out'), { code: 'UND_ERR_HEADERS_TIMEOUT' })),
    );
    upstream.on('error', (err) => {
      const classified = classifyUpstreamError(err);
      if (classified.reason === 'refused') markRefused(target, performance.now());
      observer.onUpstreamError(undefined, classified.reason, err);
      refuse(socket, classified.code === 'GATEWAY_TIMEOUT' ? 504 : 502, requestId, 'backend unavailable');
    });
    upstream.on('response', (res) => {
      // The backend declined the upgrade: relay its answer as is.
      socket.write(headBlock(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`, res.rawHeaders, requestId));
      res.pipe(socket);
    });
    upstream.on('upgrade', (res, upstreamSocket, upstreamHead) => {
      upstreamSocket.setTimeout(0);
      upstream.setTimeout(0);
      socket.write(
        headBlock(`HTTP/1.1 101 ${res.statusMessage || 'Switching Protocols'}`, res.rawHeaders, requestId),
      );
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstreamSocket.write(head);
      upstreamSocket.on('error', () => socket.destroy());
      socket.on('error', () => upstreamSocket.destroy());
      upstreamSocket.pipe(socket).on('close', () => upstreamSocket.destroy());
      socket.pipe(upstreamSocket).on('close', () => socket.destroy());
    });
    upstream.end();
  });
}
