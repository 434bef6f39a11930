/** Target selection for a route: round robin that skips, for a while, a target that refused connections. */
import { DEFAULT_REFUSED_SKIP_MS } from '../config/defaults.js';
import type { ParsedTarget } from '../model/target-url.js';

/** Per-origin state, shared by every route that names the origin, so it survives snapshot swaps. */
export interface TargetState {
  readonly origin: string;
  /** performance.now() until which the target is skipped. */
  skipUntil: number;
}

export class TargetStates {
  private readonly states = new Map<string, TargetState>();

  get(origin: string): TargetState {
    let state = this.states.get(origin);
    if (state === undefined) {
      state = { origin, skipUntil: 0 };
      this.states.set(origin, state);
    }
    return state;
  }

  retain(origins: ReadonlySet<string>): void {
    for (const origin of this.states.keys()) if (!origins.has(origin)) this.states.delete(origin);
  }
}

export class Balancer {
  private next = 0;

  constructor(
    readonly targets: readonly TargetState[],
    readonly parsed: readonly ParsedTarget[],
  ) {}

  /** Round robin over targets not being skipped; if all are skipped, plain round robin (better a try than a refusal). */
  pick(now: number): TargetState {
    const targets = this.targets;
    const n = targets.length;
    const start = this.next;
    for (let i = 0; i < n; i++) {
      const candidate = targets[(start + i) % n] as TargetState;
      if (candidate.skipUntil <= now) {
        this.next = (start + i + 1) % n;
        return candidate;
      }
    }
    this.next = (start + 1) % n;
    return targets[start % n] as TargetState;
  }
}

/** Called when a connection to the target was refused: skip it for the next requests. */
export function markRefused(target: TargetState, now: number, skipMs: number = DEFAULT_REFUSED_SKIP_MS): void {
  target.skipUntil = now + skipMs;
}
