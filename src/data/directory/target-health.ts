/** The one place the directory asks whether a target is up: the health state (active checks, passive ejection, breaker). */
import type { TargetState } from '../proxy/balancer.js';

export function isTargetUp(state: TargetState, now: number): boolean {
  return state.isUp(now);
}
