/** Per-session bounds of HTTP/2 to clients: connection window, a SETTINGS deadline, the idle timer and the Rapid Reset cap. */
import { constants, type Http2SecureServer, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { ConnectionCut } from '../limits/connection-guard.js';

export type SessionCut = Extract<ConnectionCut, `h2_${string}`>;

export interface SessionGuardOptions {
  connectionWindowBytes: number;
  /** No open stream this long: GOAWAY (NO_ERROR) and close. */
  idleTimeoutMs: number;
  /** The client's SETTINGS (sent with its preface) must arrive this soon after the handshake. */
  settingsTimeoutMs: number;
  /** Streams the client may reset before their response ended; beyond it, and half of all, ENHANCE_YOUR_CALM. */
  maxClientResets: number;
  /** Streams one session may carry before GOAWAY (limits.maxRequestsPerConnection; 0: no limit). */
  maxStreams: number;
  onCut?: ((reason: SessionCut) => void) | undefined;
}

/** The open sessions of a server, for the drain (GOAWAY) and the deadline (destroy). */
export type SessionSet = ReadonlySet<Http2Session>;

/**
 * A stream reset before its response ended is what Rapid Reset (CVE-2023-44487) does at thousands per second:
 * each costs Gerbang a routed request, the client nothing. Counting per session, as Envoy does, bounds it
 * by the connection cap; nghttp2's own reset limiter (Node's streamResetBurst/Rate) stays as a second line.
 */
export function guardSessions(server: Http2SecureServer, options: SessionGuardOptions): SessionSet {
  const sessions = new Set<Http2Session>();
  const { idleTimeoutMs, settingsTimeoutMs, maxClientResets, maxStreams, onCut } = options;

  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    let open = 0;
    let streams = 0;
    let resets = 0;
    let cutting = false;
    const cut = (reason: SessionCut, code: number): void => {
      if (session.destroyed || cutting) return;
      cutting = true;
      onCut?.(reason);
      // GOAWAY first and the socket a turn later: destroying at once drops the frame that says why.
      session.goaway(code);
      setImmediate(() => session.destroy());
    };
    const settings = setTimeout(
      () => cut('h2_settings_timeout', constants.NGHTTP2_SETTINGS_TIMEOUT),
      settingsTimeoutMs,
    );
    settings.unref();
    session.once('remoteSettings', () => clearTimeout(settings));
    // One timer per session, refreshed when the last stream closes; it does nothing while a stream is open.
    const idle = setTimeout(function onIdle() {
      if (open > 0 || session.destroyed || session.closed) return;
      onCut?.('h2_idle');
      session.close();
    }, idleTimeoutMs);
    idle.unref();
    session.once('close', () => {
      sessions.delete(session);
      clearTimeout(settings);
      clearTimeout(idle);
    });
    session.on('error', () => session.destroy());
    try {
      session.setLocalWindowSize(options.connectionWindowBytes);
    } catch {
      // The session died during its handshake: nothing to size.
    }
    session.on('stream', (stream: ServerHttp2Stream) => {
      open++;
      streams++;
      // As keep-alive connections are recycled (cluster mode: the next connection may land on another worker).
      if (streams === maxStreams) session.close();
      stream.once('close', () => {
        open--;
        if (open === 0) idle.refresh();
        if (stream.rstCode === constants.NGHTTP2_NO_ERROR || stream.writableFinished) return;
        resets++;
        if (resets > maxClientResets && resets * 2 >= streams)
          cut('h2_rapid_reset', constants.NGHTTP2_ENHANCE_YOUR_CALM);
      });
    });
  });
  return sessions;
}
