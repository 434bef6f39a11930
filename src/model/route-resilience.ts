/** Cross-field checks of a route's balancing and health-check settings that a JSON schema cannot say. */
import { GerbangError } from '../errors.js';
import type { Route } from './host-schema.js';

export function checkRouteResilience(route: Route, field: string): void {
  if (route.weights !== undefined && route.weights.length !== route.targets.length) {
    throw new GerbangError(
      'VALIDATION_FAILED',
      `${field}/weights: ${route.weights.length} weights for ${route.targets.length} targets; give one per target`,
    );
  }
  const check = route.healthCheck;
  if (
    check?.timeoutMs !== undefined &&
    check.intervalMs !== undefined &&
    check.timeoutMs > check.intervalMs
  ) {
    throw new GerbangError(
      'VALIDATION_FAILED',
      `${field}/healthCheck/timeoutMs: ${check.timeoutMs} is longer than intervalMs (${check.intervalMs})`,
    );
  }
}
