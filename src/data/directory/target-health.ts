/** The one place the directory asks whether a target is up: today "not being skipped by the balancer"; active health checks can answer here later. */
import type { TargetState } from '../balancer.js';

export function isTargetUp(state: TargetState, now: number): boolean {
  return state.skipUntil <= now;
}
