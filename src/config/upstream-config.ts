/** Resolves the static `upstream:` section (passive checks and circuit breaker): every field defaulted. */
import {
  DEFAULT_BREAKER_ERROR_RATIO,
  DEFAULT_BREAKER_LATENCY_MS,
  DEFAULT_BREAKER_MIN_REQUESTS,
  DEFAULT_BREAKER_PROBES,
  DEFAULT_BREAKER_SLOW_RATIO,
  DEFAULT_BREAKER_WINDOW_MS,
  DEFAULT_EJECT_BASE_MS,
  DEFAULT_EJECT_FORGET_MS,
  DEFAULT_EJECT_MAX_MS,
  DEFAULT_PASSIVE_FAILURES,
} from './defaults.js';

export interface UpstreamConfig {
  passive: {
    /** Consecutive failed answers (502/503/504, resets) that eject a target; refusals and timeouts eject at once. */
    failures: number;
    ejectBaseMs: number;
    ejectMaxMs: number;
    forgetMs: number;
  };
  breaker: {
    windowMs: number;
    minRequests: number;
    errorRatio: number;
    latencyMs: number;
    slowRatio: number;
    /** Successful probes, one at a time, that bring an ejected or open target back. */
    probes: number;
  };
}

export interface UpstreamConfigInput {
  passive?: Partial<UpstreamConfig['passive']> | undefined;
  breaker?: Partial<UpstreamConfig['breaker']> | undefined;
}

export function resolveUpstreamConfig(input: UpstreamConfigInput | undefined): UpstreamConfig {
  return {
    passive: {
      failures: input?.passive?.failures ?? DEFAULT_PASSIVE_FAILURES,
      ejectBaseMs: input?.passive?.ejectBaseMs ?? DEFAULT_EJECT_BASE_MS,
      ejectMaxMs: input?.passive?.ejectMaxMs ?? DEFAULT_EJECT_MAX_MS,
      forgetMs: input?.passive?.forgetMs ?? DEFAULT_EJECT_FORGET_MS,
    },
    breaker: {
      windowMs: input?.breaker?.windowMs ?? DEFAULT_BREAKER_WINDOW_MS,
      minRequests: input?.breaker?.minRequests ?? DEFAULT_BREAKER_MIN_REQUESTS,
      errorRatio: input?.breaker?.errorRatio ?? DEFAULT_BREAKER_ERROR_RATIO,
      latencyMs: input?.breaker?.latencyMs ?? DEFAULT_BREAKER_LATENCY_MS,
      slowRatio: input?.breaker?.slowRatio ?? DEFAULT_BREAKER_SLOW_RATIO,
      probes: input?.breaker?.probes ?? DEFAULT_BREAKER_PROBES,
    },
  };
}
