/** What the edge policies tell operators: a probe matched (detect or block) or an address refused, as a log line and a counter. */
import type { PolicyEvents } from '../data/routing/routing-front.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';

/** A scanner's URL can be long: the log keeps enough to recognise it. */
const MAX_LOGGED_URL = 256;

export function createPolicyEvents(logger: Logger, metrics: GatewayMetrics): PolicyEvents {
  return {
    probe(req, host, rule, action) {
      metrics.probeFilterMatches.inc({ host: host.name, rule, action });
      logger.info(
        {
          host: host.name,
          rule,
          action,
          method: req.method,
          url: (req.url ?? '').slice(0, MAX_LOGGED_URL),
          peer: req.socket.remoteAddress,
        },
        'probe matched',
      );
    },
    accessDenied(_req, host) {
      metrics.accessDenied.inc({ host: host.name });
    },
    authFailed(_req, host) {
      metrics.basicAuthFailures.inc({ host: host.name });
    },
  };
}
