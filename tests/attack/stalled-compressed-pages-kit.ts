/** Shared by the stalled-compressed-page attacks (HTTP/1.1 and HTTP/2): a backend of big dense HTML pages that counts what each response got written, and the wait for it to stall. */
import type { Test } from 'tap';
import { wordsOf } from '../compression/kit.js';
import {
  attackSize,
  backToBaseline,
  heapAfterGcMiB,
  openFds,
  rssMiB,
  trackConnections,
} from '../helpers/attack.js';
import { closeIdleConnections } from '../helpers/download-backend.js';
import type { TestGateway } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { waitFor } from '../helpers/wait-for.js';

export const HOST = 'berkas.paserkab.go.id';
/** Dense text (about 0.6 under br), far more of it per page than any buffer on the way. */
const CHUNK = wordsOf(1024 * 1024);
const PAGE_CHUNKS = 64;

/** The live heap and the buffers outside it (where chunks and compressed output sit), after a full GC. */
function liveMiB(): number {
  return heapAfterGcMiB() + process.memoryUsage().arrayBuffers / 1048576;
}

export interface StalledPages {
  gw: TestGateway;
  /**
   * Waits until `count` pages are under way and the backend's writes have stopped; checks what was pulled:
   * at most `pulledMiB` per response (the loopback sockets' buffers, autotuned up to a few MiB each way, and
   * the high-water marks on the way; a compressor that kept pulling would take the whole 64 MiB page), and at
   * most `heldMiB` per response kept live in the gateway (a few 16 KiB high-water marks, not the page), beyond
   * `slackMiB` that is no response's (TLS and session state, buffers not collected yet).
   */
  stalled(
    t: Test,
    count: number,
    bounds: { pulledMiB: number; heldMiB: number; slackMiB: number },
  ): Promise<void>;
  /** Once the clients are gone: backend connections, fds and RSS back to where they were. */
  released(t: Test): Promise<void>;
}

export async function stalledPages(t: Test): Promise<StalledPages> {
  const written = new Map<string, number>();
  const { backend, gw } = await proxiedHost(
    t,
    HOST,
    (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      const path = req.url ?? '';
      let sent = 0;
      const more = (): void => {
        while (!res.destroyed && sent < PAGE_CHUNKS) {
          sent++;
          written.set(path, (written.get(path) ?? 0) + CHUNK.length);
          if (!res.write(CHUNK)) {
            res.once('drain', more);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      more();
    },
    {
      // All clients come from 127.0.0.1: neither the per-address caps nor the pool may be what stops them.
      gateway: {
        limits: {
          maxBackendRequestsPerClient: 10_000,
          backendConnections: 10_000,
          maxConnectionsPerAddress: 10_000,
        },
      },
      // Longer than the test: what stops the backend must be backpressure, not the idle timeout.
      hostDoc: (origin) => ({ routes: [{ path: '/', targets: [origin], timeouts: { idle: 120_000 } }] }),
    },
  );
  closeIdleConnections(backend.server);
  const upstream = trackConnections(backend.server);
  const fds = openFds();
  const rss = rssMiB();
  const heap = liveMiB();
  const bytes = (): number => {
    let n = 0;
    for (const v of written.values()) n += v;
    return n;
  };
  return {
    gw,
    async stalled(t, count, { pulledMiB, heldMiB, slackMiB }) {
      await waitFor('every page under way', () => written.size >= count, attackSize(10_000, 180_000)).catch(
        (err: unknown) => {
          t.comment(
            `${written.size} of ${count} pages under way, ${upstream.open()} backend connections open`,
          );
          throw err;
        },
      );
      let last = -1;
      await waitFor(
        'the backend stalled',
        async () => {
          const now = bytes();
          const still = now === last;
          last = now;
          await new Promise((r) => setTimeout(r, 500));
          return still && bytes() === now;
        },
        attackSize(20_000, 180_000),
      );
      const most = Math.max(...written.values()) / 1024 / 1024;
      t.ok(most <= pulledMiB, `no response pulled more than ${pulledMiB} MiB (most: ${most} MiB)`);
      t.ok(
        [...written.values()].every((n) => n < PAGE_CHUNKS * CHUNK.length),
        'no page was read to its end',
      );
      t.equal(upstream.open(), count, 'each stalled response holds its one backend exchange');
      const during = rssMiB() - rss;
      // What the gateway keeps reachable per stalled response (the backend's chunks, the encoders' buffers).
      const held = liveMiB() - heap;
      t.ok(
        held < count * heldMiB + slackMiB,
        `live memory (heap and buffers) during the attack bounded: +${held.toFixed(1)} MiB`,
      );
      t.ok(during < attackSize(256, 1536), `RSS during the attack bounded: +${Math.round(during)} MiB`);
      t.comment(
        `stalled: ${count} responses, backend wrote ${Math.round(bytes() / 1048576)} MiB in all (${(bytes() / count / 1048576).toFixed(1)} MiB each), RSS +${Math.round(during)} MiB, live +${held.toFixed(1)} MiB (${((held * 1024) / count).toFixed(0)} KiB each)`,
      );
    },
    async released(t) {
      await backToBaseline(t, 'backend connections, the clients gone', () => upstream.open(), 0, 0, 15_000);
      await backToBaseline(t, 'open file descriptors', openFds, fds, 3);
      // Loose (zlib memory malloc keeps, garbage of the streamed buffers): a sink that buffered grows by gigabytes.
      await backToBaseline(
        t,
        'RSS (MiB), compressors gone',
        () => Math.round(rssMiB()),
        Math.round(rss),
        attackSize(128, 384),
        10_000,
      );
    },
  };
}
