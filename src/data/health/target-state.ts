/** Health of one upstream target, kept by origin: active check verdict, passive ejection and circuit breaker in one small state machine. */
import { resolveUpstreamConfig, type UpstreamConfig } from '../../config/upstream-config.js';

/** What the status API and the directory show. */
export type TargetCondition = 'healthy' | 'unhealthy' | 'ejected' | 'open' | 'probing';

/**
 * How one upstream attempt ended, as the passive checks and the breaker count it. `status` is a 502/503/504
 * answer (the backend's own gateway failing: counts for both); `server_error` any other 5xx (an application
 * error on one page: only the breaker's error ratio counts it, a broken page must not eject a whole portal).
 */
export type AttemptOutcome = 'ok' | 'server_error' | 'status' | 'refused' | 'timeout' | 'reset' | 'other';

/** Why a target stopped taking traffic, as the metrics count it (bounded set). */
export type TripReason = 'refused' | 'timeout' | 'failures' | 'error_ratio' | 'latency' | 'probe_failed';

export interface TargetEvents {
  /** A target was ejected (passive) or its breaker opened. */
  onTrip?(target: TargetState, kind: 'ejected' | 'open', reason: TripReason, periodMs: number): void;
  /** A target's condition changed (for cluster fan-in and logs). */
  onChange?(target: TargetState): void;
}

/** A target's passive state as a worker reports it to the cluster primary (plain data, sent over IPC). */
export interface TargetReport {
  origin: string;
  tripped: boolean;
  tripKind: 'ejected' | 'open';
  remainingMs: number;
  changedAt: number;
  reason: string;
}

/** Bumped on every change of any target's up/down: what caches a rendering of target health keys on. */
let healthGeneration = 0;

/** Grows whenever some target went up or down (any gateway of the process: a spare re-render, never a stale one). */
export function targetHealthGeneration(): number {
  return healthGeneration;
}

export class TargetState {
  /** performance.now() until which the target takes no traffic (ejected or breaker open); 0 when closed. */
  skipUntil = 0;
  /** Requests sent and not yet answered (response headers or error). */
  inFlight = 0;
  /** Verdict of the active health checks; true while none is configured or none has failed enough. */
  activeUp = true;
  /** Ejected or breaker open, including the half-open phase after the period. */
  tripped = false;
  /** The trip kind, for the status. */
  tripKind: 'ejected' | 'open' = 'ejected';
  /** Half-open: the period is over, probes go one at a time. */
  probing = false;
  probesInFlight = 0;
  probeSuccesses = 0;
  consecutiveFailures = 0;
  /** Trips without a long enough healthy spell between: the period doubles with each. */
  trips = 0;
  recoveredAt = 0;
  /** performance.now() of the last trip: an attempt sent after it tells how the target is now. */
  trippedAt = 0;
  /** What was last reported (activeUp && !tripped): `since` moves only when this flips. */
  private wasUp = true;
  private windowStart = 0;
  private windowTotal = 0;
  private windowErrors = 0;
  private windowSlow = 0;
  /** Date.now() of the last change of condition, and why. */
  changedAt = Date.now();
  reason = 'no failure seen';
  activeReason = '';

  constructor(
    readonly origin: string,
    private readonly owner: TargetStates,
  ) {}

  /** Whether a request may go to this target now; moves an expired trip to half-open (one probe at a time). */
  available(now: number): boolean {
    if (!this.activeUp) return false;
    if (!this.tripped) return true;
    if (now < this.skipUntil) return false;
    if (!this.probing) {
      this.probing = true;
      this.probeSuccesses = 0;
    }
    return this.probesInFlight === 0;
  }

  /**
   * Up for the status API, the directory and gerbang_target_up: its checks pass and its last answers were good.
   * A tripped target stays down through its half-open phase until probes succeed, whatever the clock says: being
   * allowed a probe is not having answered one (and the only target of a route keeps its traffic while down).
   */
  isUp(): boolean {
    return this.activeUp && !this.tripped;
  }

  condition(now: number): TargetCondition {
    if (!this.activeUp) return 'unhealthy';
    if (!this.tripped) return 'healthy';
    return now < this.skipUntil ? this.tripKind : 'probing';
  }

  /** A request leaves for this target; true when it is a half-open probe. */
  acquire(): boolean {
    this.inFlight++;
    if (this.probing) {
      this.probesInFlight++;
      return true;
    }
    return false;
  }

  /** The attempt ended (response headers or an error). */
  settle(now: number, latencyMs: number, outcome: AttemptOutcome, probe: boolean): void {
    this.release(probe);
    this.record(now, latencyMs, outcome, probe);
  }

  /** The attempt ended without a verdict on the target (the client cut it short). */
  release(probe: boolean): void {
    if (this.inFlight > 0) this.inFlight--;
    if (probe && this.probesInFlight > 0) this.probesInFlight--;
  }

  /** Counts an outcome for the passive checks and the breaker (settle() without the in-flight bookkeeping). */
  record(now: number, latencyMs: number, outcome: AttemptOutcome, probe: boolean): void {
    const settings = this.owner.settings;
    const breaker = settings.breaker;
    if (now - this.windowStart > breaker.windowMs) {
      this.windowStart = now;
      this.windowTotal = 0;
      this.windowErrors = 0;
      this.windowSlow = 0;
    }
    this.windowTotal++;
    if (latencyMs > breaker.latencyMs) this.windowSlow++;
    // An attempt sent after the trip (the only target of a route keeps its traffic) tells as much as a probe;
    // one sent before says nothing new. Failures re-trip only once the period is over, so they do not pile up.
    const sentAt = now - latencyMs;
    const fresh = probe || (this.tripped && sentAt >= this.trippedAt);
    if (outcome === 'ok' || outcome === 'server_error') {
      if (outcome === 'server_error') this.windowErrors++;
      this.consecutiveFailures = 0;
      if (this.tripped) {
        if (fresh && ++this.probeSuccesses >= breaker.probes)
          this.close(now, `${this.probeSuccesses} probes succeeded`);
        return;
      }
      if (this.trips > 0 && now - this.recoveredAt > settings.passive.forgetMs) this.trips = 0;
      this.checkWindow(now);
      return;
    }
    this.windowErrors++;
    if (this.tripped) {
      // Failures of requests sent before the trip say nothing new; a failed probe re-opens for longer.
      if (fresh) this.probeSuccesses = 0;
      if (probe || (fresh && sentAt >= this.skipUntil))
        this.trip(now, this.tripKind, 'probe_failed', `probe failed (${outcome})`);
      return;
    }
    this.consecutiveFailures++;
    if (outcome === 'refused' || outcome === 'timeout') {
      this.trip(now, 'ejected', outcome, outcome === 'refused' ? 'connection refused' : 'timed out');
    } else if (this.consecutiveFailures >= settings.passive.failures) {
      this.trip(
        now,
        'ejected',
        'failures',
        `${this.consecutiveFailures} consecutive failures (last: ${outcome})`,
      );
    } else {
      this.checkWindow(now);
    }
  }

  /** The active checks' verdict (control plane): down takes the target out whatever the passive state. */
  setActive(up: boolean, reason: string): void {
    if (up === this.activeUp) {
      this.activeReason = reason;
      return;
    }
    this.activeUp = up;
    this.activeReason = reason;
    this.changed(up ? `health check passed: ${reason}` : `health check failed: ${reason}`);
    if (up && this.tripped) {
      // A check just proved it answers: let traffic probe it at once rather than wait out the period.
      this.skipUntil = Math.min(this.skipUntil, 0);
    }
  }

  /** The passive side of this state, for the cluster primary (workers see the traffic, the primary shows it). */
  report(now: number): TargetReport {
    return {
      origin: this.origin,
      tripped: this.tripped,
      tripKind: this.tripKind,
      remainingMs: this.tripped ? Math.max(0, this.skipUntil - now) : 0,
      changedAt: this.changedAt,
      reason: this.reason,
    };
  }

  /** Takes a worker's report as this state's passive side (the primary never sends traffic itself). */
  adopt(report: TargetReport, now: number): void {
    this.tripped = report.tripped;
    this.tripKind = report.tripKind;
    this.skipUntil = report.tripped ? now + report.remainingMs : 0;
    this.changedAt = report.changedAt;
    this.reason = report.reason;
    const up = this.activeUp && !this.tripped;
    if (up !== this.wasUp) {
      this.wasUp = up;
      healthGeneration++;
    }
  }

  private checkWindow(now: number): void {
    const breaker = this.owner.settings.breaker;
    if (this.windowTotal < breaker.minRequests) return;
    if (this.windowErrors / this.windowTotal >= breaker.errorRatio) {
      this.trip(now, 'open', 'error_ratio', `${this.windowErrors} of ${this.windowTotal} requests failed`);
    } else if (this.windowSlow / this.windowTotal >= breaker.slowRatio) {
      this.trip(
        now,
        'open',
        'latency',
        `${this.windowSlow} of ${this.windowTotal} answers slower than ${breaker.latencyMs} ms`,
      );
    }
  }

  private trip(now: number, kind: 'ejected' | 'open', reason: TripReason, text: string): void {
    const passive = this.owner.settings.passive;
    const period = Math.min(passive.ejectBaseMs * 2 ** Math.min(this.trips, 30), passive.ejectMaxMs);
    this.trips++;
    this.tripped = true;
    this.trippedAt = now;
    this.tripKind = kind;
    this.probing = false;
    this.probeSuccesses = 0;
    this.consecutiveFailures = 0;
    this.skipUntil = now + period;
    this.windowStart = now;
    this.windowTotal = 0;
    this.windowErrors = 0;
    this.windowSlow = 0;
    this.changed(`${kind === 'ejected' ? 'ejected' : 'circuit open'} for ${period} ms: ${text}`);
    this.owner.events.onTrip?.(this, kind, reason, period);
  }

  private close(now: number, text: string): void {
    this.tripped = false;
    this.probing = false;
    this.skipUntil = 0;
    this.recoveredAt = now;
    this.changed(`back in service: ${text}`);
  }

  /** A new reason always; a new `since` only when up/down flips (a re-trip of a down target is no change). */
  private changed(reason: string): void {
    const up = this.activeUp && !this.tripped;
    if (up !== this.wasUp) {
      this.wasUp = up;
      this.changedAt = Date.now();
      healthGeneration++;
    }
    this.reason = reason;
    this.owner.events.onChange?.(this);
  }
}

/** Per-origin state, shared by every route that names the origin, so it survives snapshot swaps. */
export class TargetStates {
  private readonly states = new Map<string, TargetState>();
  settings: UpstreamConfig;
  events: TargetEvents = {};

  constructor(settings?: UpstreamConfig) {
    this.settings = settings ?? resolveUpstreamConfig(undefined);
  }

  get(origin: string): TargetState {
    let state = this.states.get(origin);
    if (state === undefined) {
      state = new TargetState(origin, this);
      this.states.set(origin, state);
    }
    return state;
  }

  /** The state of an origin the current snapshot names, without creating one. */
  peek(origin: string): TargetState | undefined {
    return this.states.get(origin);
  }

  values(): IterableIterator<TargetState> {
    return this.states.values();
  }

  retain(origins: ReadonlySet<string>): void {
    for (const origin of this.states.keys()) if (!origins.has(origin)) this.states.delete(origin);
  }
}
