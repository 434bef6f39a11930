/** What a bench case is: how it starts, what the harness may ask of it while it runs, and how it says it cannot run here. */
import type { Pinning } from './processes.js';
import type { BenchCert } from './tls.js';

/** What every case gets: the running backend and where to put its files. */
export interface BenchContext {
  backendUrl: string;
  /** The backend's pid (the backend-direct case reports its memory). */
  backendPid: number | undefined;
  pinning: Pinning;
  /** A fresh temporary directory for this case (config, state, logs). */
  workDir: string;
  /** The run's certificate, for the TLS cases (made once per run, the same for every server). */
  cert(): BenchCert;
}

/** Figures a case adds to its row beyond the load generator's (per-worker counts, propagation times...). */
export type Extras = Record<string, unknown>;

/** A started case: where to send the load, with which headers, and how to stop it. */
export interface RunningCase {
  url: string;
  headers: Record<string, string>;
  /** The body length the probe must get (default: the 1 KiB page); undefined with `anyBodyBytes` (an encoded body). */
  bodyBytes?: number;
  anyBodyBytes?: boolean;
  /** Files worth a look afterwards (e.g. the proxy's log). */
  logFile?: string;
  /** The process whose tree (itself and its children) is what is measured: its peak RSS is reported. */
  pid?: number;
  /** After the probe: a reason this case is not measuring what it claims (e.g. the cache does not hit), or undefined. */
  verify?(): Promise<string | undefined>;
  /** Just before each measured run. */
  beforeRun?(): Promise<void>;
  /** Just after each measured run: figures for that run. */
  afterRun?(): Promise<Extras>;
  /** After every run, with the load generator at hand: figures measured once (e.g. propagation under load). */
  afterAll?(load: (seconds: number) => Promise<unknown>): Promise<Extras>;
  stop(): Promise<void>;
}

export interface BenchCase {
  name: string;
  description: string;
  /**
   * The origin page this case's requests reach ('small' 1 KiB, 'big' 40 KiB): backend-direct (or -40k) must have
   * clear headroom over it, or its row is "not comparable". Undefined: served without the origin (cache hits).
   */
  origin?: 'small' | 'big';
  /** How the load is sent: HTTP/1.1 (wrk, default) or HTTP/2 over TLS (h2load with `streams` per connection). */
  protocol?: 'h1' | 'h2';
  /** No fixed-rate run (a new TLS handshake per request: h2load keeps its connections). */
  noFixedLoad?: boolean;
  /** What the requests/s are called in the targets (e.g. "handshakes/s"). */
  unit?: string;
  /** Left out unless named with --only (or a flag): slow or needing extra programs. */
  optIn?: boolean;
  /**
   * Everything floats on every core while this case runs: the proxy, and also the bench, the backend and
   * the load generator (a cluster's workers must get the same cpu time for their shares to be comparable).
   */
  unpinned?: boolean;
  start(context: BenchContext): Promise<RunningCase>;
}

/** Thrown by start() when the case cannot run on this machine (a program missing and not installable): a note, not a failure. */
export class CaseSkipped extends Error {
  override name = 'CaseSkipped';
}
