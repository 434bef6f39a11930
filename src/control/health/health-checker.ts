/** Active health checks, run once per gateway by the control plane: one probe loop per (target, path), verdicts per target. */
import {
  DEFAULT_HEALTH_INTERVAL_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_HEALTHY_THRESHOLD,
  DEFAULT_UNHEALTHY_THRESHOLD,
} from '../../config/defaults.js';
import type { UpstreamPools } from '../../data/proxy/upstream-pools.js';
import type { Snapshot } from '../../data/routing/snapshot.js';
import type { HealthCheck } from '../../model/host-schema.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';

const USER_AGENT = 'gerbang-health-check';

export interface CheckSpec {
  origin: string;
  path: string;
  /** Host header: the public name when the route preserves it (name-based backends), else the target's. */
  hostHeader: string;
  intervalMs: number;
  timeoutMs: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  expect: readonly number[] | undefined;
}

export interface CheckStatus {
  path: string;
  up: boolean;
  /** ISO time of the last probe; undefined before the first. */
  lastCheckAt: string | undefined;
  /** Status code of the last probe, or the failure ("timeout", "refused", ...). */
  lastResult: string | undefined;
}

/** Called when a target's verdict changes: down when any of its checks is down. */
export type VerdictListener = (origin: string, up: boolean, reason: string) => void;

export interface HealthCheckerOptions {
  pools: UpstreamPools;
  onVerdict: VerdictListener;
  logger: Logger;
  metrics?: GatewayMetrics;
}

class Check {
  up = true;
  okStreak = 0;
  failStreak = 0;
  lastCheckAt: number | undefined;
  lastResult: string | undefined;
  timer: NodeJS.Timeout | undefined;
  running = false;
  stopped = false;

  constructor(public spec: CheckSpec) {}
}

function specsOf(snapshot: Snapshot): Map<string, CheckSpec> {
  const specs = new Map<string, CheckSpec>();
  for (const hosts of [snapshot.exact, snapshot.wildcards]) {
    for (const host of hosts.values()) {
      for (const route of host.routes) {
        const hc: HealthCheck | undefined = route.spec.healthCheck;
        if (hc === undefined) continue;
        for (const parsed of route.balancer.parsed) {
          const key = `${parsed.origin}${hc.path}`;
          // The first declaration of a (target, path) wins: one probe loop whatever the number of routes.
          if (specs.has(key)) continue;
          const publicName = host.name.startsWith('*.') ? undefined : host.name;
          specs.set(key, {
            origin: parsed.origin,
            path: hc.path,
            hostHeader:
              route.preserveHost && publicName !== undefined
                ? publicName
                : parsed.origin.slice(parsed.origin.indexOf('//') + 2),
            intervalMs: hc.intervalMs ?? DEFAULT_HEALTH_INTERVAL_MS,
            timeoutMs: hc.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS,
            healthyThreshold: hc.healthyThreshold ?? DEFAULT_HEALTHY_THRESHOLD,
            unhealthyThreshold: hc.unhealthyThreshold ?? DEFAULT_UNHEALTHY_THRESHOLD,
            expect:
              hc.expectStatus === undefined
                ? undefined
                : Array.isArray(hc.expectStatus)
                  ? hc.expectStatus
                  : [hc.expectStatus],
          });
        }
      }
    }
  }
  return specs;
}

export class HealthChecker {
  private readonly checks = new Map<string, Check>();
  private readonly byOrigin = new Map<string, Set<Check>>();
  private stopped = false;

  constructor(private readonly options: HealthCheckerOptions) {}

  /** Reconciles the probe loops with a new snapshot: new (target, path) pairs start, vanished ones stop. */
  update(snapshot: Snapshot): void {
    if (this.stopped) return;
    const specs = specsOf(snapshot);
    const touched = new Set<string>();
    for (const [key, check] of this.checks) {
      const spec = specs.get(key);
      if (spec === undefined) {
        this.remove(key, check);
        touched.add(check.spec.origin);
      } else check.spec = spec;
    }
    for (const [key, spec] of specs) {
      if (this.checks.has(key)) continue;
      const check = new Check(spec);
      this.checks.set(key, check);
      let set = this.byOrigin.get(spec.origin);
      if (set === undefined) {
        set = new Set();
        this.byOrigin.set(spec.origin, set);
      }
      set.add(check);
      // A small spread, so a thousand checks declared at once do not fire in the same millisecond.
      this.schedule(check, Math.floor(Math.random() * Math.min(spec.intervalMs, 1_000) * 0.1));
    }
    for (const origin of touched) this.publish(origin);
    const origins = new Set<string>();
    for (const check of this.checks.values()) origins.add(check.spec.origin);
    this.options.pools.retain(origins);
  }

  /** The checks of one target, for the status API; empty when none is configured. */
  statusOf(origin: string): CheckStatus[] {
    const set = this.byOrigin.get(origin);
    if (set === undefined) return [];
    return [...set].map((c) => ({
      path: c.spec.path,
      up: c.up,
      lastCheckAt: c.lastCheckAt === undefined ? undefined : new Date(c.lastCheckAt).toISOString(),
      lastResult: c.lastResult,
    }));
  }

  /** Every target with a down verdict and why (for new data-plane workers). */
  verdicts(): Array<{ origin: string; up: boolean; reason: string }> {
    return [...this.byOrigin.keys()].map((origin) => ({ origin, ...this.verdict(origin) }));
  }

  stop(): void {
    this.stopped = true;
    for (const [key, check] of this.checks) this.remove(key, check);
  }

  private remove(key: string, check: Check): void {
    check.stopped = true;
    if (check.timer !== undefined) clearTimeout(check.timer);
    this.checks.delete(key);
    const set = this.byOrigin.get(check.spec.origin);
    set?.delete(check);
    if (set?.size === 0) this.byOrigin.delete(check.spec.origin);
  }

  private schedule(check: Check, delayMs: number): void {
    if (check.stopped) return;
    check.timer = setTimeout(() => this.probe(check), delayMs);
    check.timer.unref();
  }

  private probe(check: Check): void {
    if (check.stopped || check.running) return;
    check.running = true;
    const spec = check.spec;
    let settled = false;
    const finish = (ok: boolean, result: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      check.running = false;
      this.record(check, ok, result);
      this.schedule(check, spec.intervalMs);
    };
    // undici's own timeouts cover connect and headers; this bounds the whole probe whatever happens.
    const guard = setTimeout(() => finish(false, 'timeout'), spec.timeoutMs + 50);
    guard.unref();
    const t = spec.timeoutMs;
    try {
      this.options.pools.request(
        {
          origin: spec.origin,
          path: spec.path,
          method: 'GET',
          headers: { host: spec.hostHeader, 'user-agent': USER_AGENT },
          timeouts: { connectMs: t, responseMs: t, idleMs: t },
        },
        {
          upstreamResponded: (err, data) => {
            if (err !== null) return finish(false, failureName(err));
            data.stream.resume();
            const status = data.statusCode;
            const ok =
              spec.expect === undefined ? status >= 200 && status < 400 : spec.expect.includes(status);
            finish(ok, String(status));
          },
        },
      );
    } catch (err) {
      finish(false, failureName(err as Error));
    }
  }

  private record(check: Check, ok: boolean, result: string): void {
    if (check.stopped) return;
    check.lastCheckAt = Date.now();
    check.lastResult = result;
    this.options.metrics?.healthChecks.inc({ result: ok ? 'pass' : 'fail' });
    const spec = check.spec;
    if (ok) {
      check.failStreak = 0;
      check.okStreak++;
      if (!check.up && check.okStreak >= spec.healthyThreshold) {
        check.up = true;
        this.publish(spec.origin);
      }
    } else {
      check.okStreak = 0;
      check.failStreak++;
      if (check.up && check.failStreak >= spec.unhealthyThreshold) {
        check.up = false;
        this.publish(spec.origin);
      }
    }
  }

  private verdict(origin: string): { up: boolean; reason: string } {
    const set = this.byOrigin.get(origin);
    if (set === undefined || set.size === 0) return { up: true, reason: 'no health check' };
    for (const check of set) {
      if (!check.up) {
        return {
          up: false,
          reason: `GET ${check.spec.path} → ${check.lastResult ?? '?'} (${check.failStreak} in a row)`,
        };
      }
    }
    const first = set.values().next().value as Check;
    return { up: true, reason: `GET ${first.spec.path} → ${first.lastResult ?? 'not checked yet'}` };
  }

  private publish(origin: string): void {
    const { up, reason } = this.verdict(origin);
    this.options.logger[up ? 'info' : 'warn']({ target: origin, up, reason }, 'target health changed');
    this.options.onVerdict(origin, up, reason);
  }
}

function failureName(err: Error): string {
  const code = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'reset';
  return typeof code === 'string' ? code : 'error';
}
