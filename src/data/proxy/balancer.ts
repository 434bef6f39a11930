/** Target selection for a route over its healthy targets: weighted round robin, least in-flight, or client-address hash. */
import type { ParsedTarget } from '../../model/target-url.js';
import type { TargetState } from '../health/target-state.js';

export { TargetState, TargetStates } from '../health/target-state.js';

export type BalancePolicy = 'roundRobin' | 'leastInFlight' | 'clientHash';

/** FNV-1a over a string: the client address hash. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit finaliser (murmur3's), so client hash ^ target seed spreads evenly. */
function mix(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Balancer {
  private next = 0;
  /** undefined when every weight is equal: the plain rotation is then exact and cheaper. */
  private readonly weights: Float64Array | undefined;
  private readonly current: Float64Array | undefined;
  private readonly seeds: Uint32Array | undefined;

  constructor(
    readonly targets: readonly TargetState[],
    readonly parsed: readonly ParsedTarget[],
    readonly policy: BalancePolicy = 'roundRobin',
    weights?: readonly number[],
  ) {
    const n = targets.length;
    if (weights?.some((w) => w !== weights[0])) {
      this.weights = new Float64Array(n);
      for (let i = 0; i < n; i++) this.weights[i] = weights[i] ?? 1;
      this.current = new Float64Array(n);
    }
    if (policy === 'clientHash') {
      this.seeds = new Uint32Array(n);
      for (let i = 0; i < n; i++) this.seeds[i] = fnv1a((targets[i] as TargetState).origin);
    }
  }

  /** Whether any target may take a request now (the first available one answers, so this is O(1) when healthy). */
  hasAvailable(now: number): boolean {
    const targets = this.targets;
    if (targets.length === 1) return (targets[0] as TargetState).activeUp;
    for (let i = 0; i < targets.length; i++) if ((targets[i] as TargetState).available(now)) return true;
    return false;
  }

  /** A healthy target by the route's policy, or undefined when none may take traffic (optionally not `exclude`). */
  choose(now: number, client?: string, exclude?: TargetState): TargetState | undefined {
    // nginx's rule: the only target of a route is never ejected by passive checks or its breaker (that would
    // only turn the backend's own answers into 503s); a failing active health check still takes it out.
    if (this.targets.length === 1) {
      const only = this.targets[0] as TargetState;
      return only !== exclude && only.activeUp ? only : undefined;
    }
    if (this.policy === 'leastInFlight') return this.leastInFlight(now, exclude);
    if (this.policy === 'clientHash' && client !== undefined) return this.byClient(now, client, exclude);
    return this.weights === undefined ? this.rotate(now, exclude) : this.smoothWeighted(now, exclude);
  }

  /**
   * Never undefined: when no target is healthy, plain rotation (callers that cannot refuse — the cache's
   * background refresh, WebSocket upgrades — rather try than fail). The request path checks hasAvailable first.
   */
  pick(now: number, client?: string): TargetState {
    const chosen = this.choose(now, client);
    if (chosen !== undefined) return chosen;
    const n = this.targets.length;
    const start = this.next;
    this.next = (start + 1) % n;
    return this.targets[start % n] as TargetState;
  }

  private rotate(now: number, exclude: TargetState | undefined): TargetState | undefined {
    const targets = this.targets;
    const n = targets.length;
    const start = this.next;
    for (let i = 0; i < n; i++) {
      const candidate = targets[(start + i) % n] as TargetState;
      if (candidate !== exclude && candidate.available(now)) {
        this.next = (start + i + 1) % n;
        return candidate;
      }
    }
    return undefined;
  }

  /** nginx's smooth weighted round robin: weights 5,1,1 give a a b a c a a, not a a a a a b c. */
  private smoothWeighted(now: number, exclude: TargetState | undefined): TargetState | undefined {
    const targets = this.targets;
    const weights = this.weights as Float64Array;
    const current = this.current as Float64Array;
    let total = 0;
    let best = -1;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i] as TargetState;
      if (t === exclude || !t.available(now)) continue;
      const w = weights[i] as number;
      current[i] = (current[i] as number) + w;
      total += w;
      if (best < 0 || (current[i] as number) > (current[best] as number)) best = i;
    }
    if (best < 0) return undefined;
    current[best] = (current[best] as number) - total;
    return targets[best];
  }

  private leastInFlight(now: number, exclude: TargetState | undefined): TargetState | undefined {
    const targets = this.targets;
    const n = targets.length;
    const weights = this.weights;
    // Ties rotate, so an idle route still spreads its requests.
    const start = this.next;
    this.next = (start + 1) % n;
    let best: TargetState | undefined;
    let bestLoad = Number.POSITIVE_INFINITY;
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      const t = targets[i] as TargetState;
      if (t === exclude || !t.available(now)) continue;
      const load = weights === undefined ? t.inFlight : (t.inFlight + 1) / (weights[i] as number);
      if (load < bestLoad) {
        best = t;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Weighted rendezvous hashing: a client stays on its target, and only the clients of a failed target move. */
  private byClient(now: number, client: string, exclude: TargetState | undefined): TargetState | undefined {
    const targets = this.targets;
    const seeds = this.seeds as Uint32Array;
    const weights = this.weights;
    const h = fnv1a(client);
    let best: TargetState | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i] as TargetState;
      if (t === exclude || !t.available(now)) continue;
      const u = (mix(h ^ (seeds[i] as number)) + 1) / 4294967297;
      const score = (weights === undefined ? 1 : (weights[i] as number)) / -Math.log(u);
      if (score > bestScore) {
        best = t;
        bestScore = score;
      }
    }
    return best;
  }
}

/** Called when a connection to the target was refused (WebSocket upgrades, the cache's fallback): ejects it. */
export function markRefused(target: TargetState, now: number): void {
  target.record(now, 0, 'refused', false);
}
