/** The static `audit:` section (retention and refusal summaries): its file schema and the resolved, defaulted values. */
import { Type } from '@sinclair/typebox';
import {
  DEFAULT_AUDIT_MAX_AGE_DAYS,
  DEFAULT_AUDIT_MAX_ENTRIES,
  DEFAULT_AUDIT_PRUNE_INTERVAL_MS,
  DEFAULT_AUDIT_REFUSAL_WINDOW_MS,
} from './defaults.js';

export const AuditConfigFileSchema = Type.Object(
  {
    /** Entries older than this many days are removed. */
    maxAgeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500 })),
    /** Entries kept at most; the oldest go first. */
    maxEntries: Type.Optional(Type.Integer({ minimum: 100, maximum: 10_000_000 })),
    pruneIntervalMs: Type.Optional(Type.Integer({ minimum: 1_000, maximum: 86_400_000 })),
    /** One refusal entry per address and reason per window. */
    refusalWindowMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
  },
  { additionalProperties: false },
);

export interface AuditConfig {
  maxAgeDays: number;
  maxEntries: number;
  pruneIntervalMs: number;
  refusalWindowMs: number;
}

export function resolveAuditConfig(input: Partial<AuditConfig> | undefined): AuditConfig {
  return {
    maxAgeDays: input?.maxAgeDays ?? DEFAULT_AUDIT_MAX_AGE_DAYS,
    maxEntries: input?.maxEntries ?? DEFAULT_AUDIT_MAX_ENTRIES,
    pruneIntervalMs: input?.pruneIntervalMs ?? DEFAULT_AUDIT_PRUNE_INTERVAL_MS,
    refusalWindowMs: input?.refusalWindowMs ?? DEFAULT_AUDIT_REFUSAL_WINDOW_MS,
  };
}
