/** Counts and logs every target taken out (ejected or breaker open), wherever a data plane runs. */
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { TargetStates } from './target-state.js';

export function reportTrips(states: TargetStates, metrics: GatewayMetrics, logger: Logger): void {
  states.events.onTrip = (target, kind, reason, periodMs) => {
    (kind === 'ejected' ? metrics.targetEjections : metrics.breakerOpens).inc({
      target: target.origin,
      reason,
    });
    logger.warn(
      { target: target.origin, condition: kind, reason: target.reason, periodMs },
      'target taken out',
    );
  };
}
