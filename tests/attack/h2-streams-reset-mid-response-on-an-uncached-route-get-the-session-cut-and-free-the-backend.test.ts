import type { ServerResponse } from 'node:http';
import { type ClientHttp2Session, constants } from 'node:http2';
import t from 'tap';
import { attackSize, backToBaseline, openFds, trackConnections } from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { closeIdleConnections } from '../helpers/download-backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { h2Request, h2Session } from '../helpers/h2-client.js';
import { uncachedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { metricValue } from '../helpers/wait-for.js';

const HOST = 'unduh.paserkab.go.id';
const OTHER = 'disdik.paserkab.go.id';
/** Streams the client tries to open and reset on one session: past the guard's cap (100 resets). */
const STREAMS = attackSize(240, 2_000);
/** Opened together, each reset once its response has begun (below the session's 100 concurrent streams). */
const BATCH = 40;
/** Far more than the stream window: every response is still under way when its stream is reset. */
const BODY_BYTES = 64 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'h');

/** Opens `count` streams at once and resets each (CANCEL) as soon as its response head and first bytes came. */
function resetMidResponse(session: ClientHttp2Session, from: number, count: number): Promise<number> {
  let begun = 0;
  const streams: Array<Promise<void>> = [];
  for (let i = from; i < from + count && !session.closed && !session.destroyed; i++) {
    streams.push(
      new Promise<void>((resolve) => {
        let stream: ReturnType<ClientHttp2Session['request']>;
        try {
          stream = session.request({ ':path': `/berkas/${i}.iso`, ':authority': HOST });
        } catch {
          resolve();
          return;
        }
        stream.on('error', () => undefined);
        stream.once('close', () => resolve());
        stream.once('data', () => {
          begun++;
          stream.close(constants.NGHTTP2_CANCEL);
        });
        // Bounded: a stream that never answers is reset all the same.
        setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), 5_000).unref();
      }),
    );
  }
  return Promise.all(streams).then(() => begun);
}

// Bodyless h2 streams (ended with their headers) on a route without cache: the raw proxied front takes them
// (proxied-front.ts). The session guard (h2-session-guard.ts) counts streams reset before their response ended.
t.test(
  'h2 streams reset mid-response on an uncached route get the session cut with ENHANCE_YOUR_CALM and free the backend',
  async (t) => {
    const live = new Set<ServerResponse>();
    const backend = await startBackend((req, res) => {
      if (!req.url?.startsWith('/berkas/')) {
        res.end('portal');
        return;
      }
      live.add(res);
      res.once('close', () => live.delete(res));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BODY_BYTES });
      let sent = 0;
      const started = Date.now();
      const more = (): void => {
        while (!res.destroyed && sent < BODY_BYTES && Date.now() - started < 20_000) {
          sent += CHUNK.length;
          if (!res.write(CHUNK)) {
            res.once('drain', more);
            return;
          }
        }
        res.destroy();
      };
      more();
    });
    closeIdleConnections(backend.server);
    const upstream = trackConnections(backend.server);
    const gw = await startTestGateway({ limits: { maxBackendRequestsPerClient: 10_000 } });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const ca = await createTestCa();
    await gw.admin('PUT', `/v1/hosts/${HOST}`, uncachedHost(backend.origin));
    await gw.admin('PUT', `/v1/hosts/${OTHER}`, uncachedHost(backend.origin));
    await gw.admin('PUT', '/v1/certificates/*.paserkab.go.id', await ca.issue(['*.paserkab.go.id']));
    const port = gw.gateway.ports.https;
    const fds = openFds();

    const session = await h2Session(port, HOST, ca.certificate);
    let goaway = -1;
    session.on('goaway', (code: number) => {
      goaway = code;
    });
    session.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    let begun = 0;
    for (let from = 0; from < STREAMS && !session.closed && !session.destroyed; from += BATCH)
      begun += await resetMidResponse(session, from, BATCH);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    session.destroy();

    t.equal(goaway, constants.NGHTTP2_ENHANCE_YOUR_CALM, 'the session got GOAWAY ENHANCE_YOUR_CALM');
    // The cut comes at the 101st reset: nearly all of them were resets of responses under way.
    t.ok(begun > 80, `${begun} responses had begun when their stream was reset`);
    t.ok(begun < STREAMS, `the session was cut before all ${STREAMS} streams: ${begun}`);
    t.equal(
      await metricValue(gw.adminUrl, 'gerbang_connections_cut_total', {
        listener: 'https',
        reason: 'h2_rapid_reset',
      }),
      1,
      'the cut is counted',
    );
    await backToBaseline(t, 'backend responses still being written', () => live.size, 0, 0, 3_000);
    await backToBaseline(
      t,
      'requests in flight',
      () => metricValue(gw.adminUrl, 'gerbang_requests_in_flight', { listener: 'https' }),
      0,
      0,
      3_000,
    );
    await backToBaseline(t, 'backend connections', upstream.open, 0, 0, 5_000);
    await backToBaseline(t, 'open file descriptors', openFds, fds, 8, 5_000);

    // A polite h2 client on another host is served on a session of its own.
    const polite = await h2Session(port, OTHER, ca.certificate);
    t.equal((await h2Request(polite, OTHER, '/')).body, 'portal', 'a polite h2 client is served');
    polite.destroy();
  },
);
