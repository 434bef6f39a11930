/**
 * The data plane's defacement watch: copies (bounded) the HTML the cache stores and a sample of proxied HTML, and
 * has it checked on a thread of its own, a bounded number of pages at a time; no request waits for a check.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { DefacementConfig } from '../../config/defacement-config.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { BodySink } from '../proxy/upstream-body.js';
import type { GatewayReply } from '../routing/exchange.js';
import type { CompiledHost, SnapshotHolder } from '../routing/snapshot.js';
import { BoundedCopy } from './bounded-copy.js';
import { type PageCoding, pageCodingOf } from './decode-page.js';
import type { DefacementFinding } from './finding.js';
import type { RuleMatch } from './scan-page.js';
import { ScanThreadClient } from './scan-thread-client.js';
import { TapSink } from './tap-sink.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The defacement watch of this data plane (public-app.ts decorates it); absent when the watch is off. */
    gerbangDefacement?: DefacementWatch;
  }
}

export interface DefacementWatchOptions {
  config: DefacementConfig;
  metrics: GatewayMetrics;
  logger: Logger;
  /** The current hosts: a cache fill names its host by label only. */
  holder: SnapshotHolder;
  /** Told of every finding: the control plane keeps the host's latest (a cluster worker sends it to the primary). */
  onFinding?: (finding: DefacementFinding) => void;
  /** Drops a flagged page from the cache (every variant, both schemes, and through Redis on every instance). */
  invalidate?: (hostName: string, url: string) => void;
}

interface Job {
  host: string;
  hostName: string;
  url: string;
  body: Buffer;
  /** The backend's compression: `body` is then the beginning of the compressed bytes, decoded on the thread. */
  coding: PageCoding | undefined;
  source: DefacementFinding['source'];
  skipCache: boolean;
}

/** Flagged pages remembered at most (the oldest is forgotten first). */
const MAX_FLAGGED = 10_000;

type Head = IncomingHttpHeaders | OutgoingHttpHeaders;

function isHtml(headers: Head): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && /^\s*text\/html/i.test(type);
}

export class DefacementWatch {
  readonly #options: DefacementWatchOptions;
  readonly #thread: ScanThreadClient;
  readonly #maxBytes: number;
  readonly #queueSize: number;
  readonly #intervalMs: number;
  #closed = false;
  /** When each host last had a proxied response sampled (hosts come from the snapshot: a bounded set). */
  readonly #lastSample = new Map<string, number>();
  /** `hostName url` of the pages found defaced on hosts that chose not to cache them, with their last check. */
  readonly #flagged = new Map<string, number>();
  readonly #scanned;
  readonly #dropped;
  readonly #skipped;

  constructor(options: DefacementWatchOptions) {
    this.#options = options;
    const config = options.config;
    this.#thread = new ScanThreadClient(config.rules, config.maxScanBytes);
    this.#thread.start();
    this.#maxBytes = config.maxScanBytes;
    this.#queueSize = config.queueSize;
    this.#intervalMs = config.sampleIntervalMs;
    const scans = options.metrics.defacementScans;
    this.#scanned = scans.labels({ outcome: 'scanned' });
    this.#dropped = scans.labels({ outcome: 'dropped' });
    this.#skipped = scans.labels({ outcome: 'skipped_encoded' });
    // A host removed is forgotten: the sample times stay as many as the hosts.
    options.holder.onSwap(() => {
      for (const name of this.#lastSample.keys())
        if (this.#hostOf(name) === undefined) this.#lastSample.delete(name);
    });
  }

  /** Pages handed to the check thread and not answered yet. */
  get queued(): number {
    return this.#thread.inFlight;
  }

  /**
   * Undefined for almost every proxied response; for its host's sample of the interval (a GET answered 200 with
   * HTML, judged on the backend's head before compression), a wrapper of the body's sink that copies the body
   * on its way (bounded) and queues it for its check once it ended.
   */
  tap(reply: GatewayReply, headers: Head): ((sink: BodySink) => BodySink) | undefined {
    if (reply.statusCode !== 200) return undefined;
    const request = reply.request;
    const host = request.gerbang.host;
    if (host === undefined || request.raw.method !== 'GET') return undefined;
    const now = Date.now();
    const last = this.#lastSample.get(host.name);
    if (last !== undefined && now - last < this.#intervalMs) return undefined;
    if (!isHtml(headers)) return undefined;
    this.#lastSample.set(host.name, now);
    const coding = pageCodingOf(headers['content-encoding']);
    if (coding === undefined) {
      this.#skipped.inc();
      return undefined;
    }
    const hostName = request.gerbang.hostName ?? host.name;
    const url = request.raw.url ?? '/';
    // Only the beginning of a compressed stream can be decoded: the whole budget goes to it.
    const copy = new BoundedCopy(this.#maxBytes, coding === 'identity');
    return (sink) =>
      new TapSink(sink, copy, () =>
        this.#enqueue({
          host: host.name,
          hostName,
          url,
          body: copy.bytes(),
          coding: coding === 'identity' ? undefined : coding,
          source: 'sample',
          skipCache: host.skipCacheWhenFlagged === true,
        }),
      );
  }

  /**
   * A response the cache is about to store: queued for its check; true when it must not be stored (its host chose
   * not to cache flagged pages and this one is flagged).
   */
  offerStored(
    hostLabel: string,
    hostName: string,
    url: string,
    status: number,
    headers: IncomingHttpHeaders,
    body: Buffer,
  ): boolean {
    if (status !== 200 || !isHtml(headers)) return false;
    const host = this.#hostOf(hostLabel);
    const skipCache = host?.skipCacheWhenFlagged === true;
    const key = `${hostName} ${url}`;
    const flaggedAt = this.#flagged.get(key);
    // A flagged page is not stored, so every request fills again: it is checked again once per interval only.
    const now = Date.now();
    if (flaggedAt !== undefined && now - flaggedAt < this.#intervalMs) return skipCache;
    if (flaggedAt !== undefined) this.#flagged.set(key, now);
    const coding = pageCodingOf(headers['content-encoding']);
    if (coding === undefined) this.#skipped.inc();
    else
      this.#enqueue({
        host: hostLabel,
        hostName,
        url,
        body:
          coding === 'identity'
            ? BoundedCopy.of(body, this.#maxBytes)
            : BoundedCopy.head(body, this.#maxBytes),
        coding: coding === 'identity' ? undefined : coding,
        source: 'cache',
        skipCache,
      });
    return skipCache && flaggedAt !== undefined;
  }

  /** Whether this page is flagged (found defaced on a host that does not cache flagged pages). */
  isFlagged(hostName: string, url: string): boolean {
    return this.#flagged.has(`${hostName} ${url}`);
  }

  /** Drops what is still queued and stops the thread: nothing is checked after this. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#thread.close();
  }

  #hostOf(label: string): CompiledHost | undefined {
    const snapshot = this.#options.holder.current;
    return (
      snapshot.exact.get(label) ??
      (label.startsWith('*.') ? snapshot.wildcards.get(label.slice(2)) : undefined)
    );
  }

  /** The pages in flight are the queue: its bound is what the thread holds, their bytes at most queueSize pages. */
  #enqueue(job: Job): void {
    if (this.#closed) return;
    if (this.#thread.inFlight >= this.#queueSize) {
      this.#dropped.inc();
      return;
    }
    this.#thread.scan(job.hostName, job.body, job.coding, (matches, bytes, error) => {
      if (matches !== undefined) this.#checked(job, matches, bytes);
      else if (!this.#closed)
        this.#options.logger.error({ host: job.host, err: error }, 'defacement check failed');
    });
  }

  #checked(job: Job, matches: RuleMatch[], bytes: number): void {
    this.#scanned.inc();
    this.#options.metrics.defacementScannedBytes.inc(bytes);
    const key = `${job.hostName} ${job.url}`;
    if (matches.length === 0) {
      this.#flagged.delete(key);
      return;
    }
    const { metrics, logger, onFinding, invalidate } = this.#options;
    const at = new Date().toISOString();
    const url = `${job.hostName}${job.url}`;
    for (const match of matches) {
      metrics.defacementFindings.inc({ host: job.host, rule: match.rule });
      logger.warn(
        { host: job.host, url, rule: match.rule, evidence: match.evidence, source: job.source },
        'page matches a defacement rule',
      );
      onFinding?.({
        host: job.host,
        url,
        rule: match.rule,
        evidence: match.evidence,
        source: job.source,
        at,
      });
    }
    if (!job.skipCache) return;
    if (!this.#flagged.has(key) && this.#flagged.size >= MAX_FLAGGED) {
      const oldest = this.#flagged.keys().next().value;
      if (oldest !== undefined) this.#flagged.delete(oldest);
    }
    this.#flagged.set(key, Date.now());
    invalidate?.(job.hostName, job.url);
  }
}
