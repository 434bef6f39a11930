/** The static `defacement:` section (issue 18): the watch's switch, sampling, bounds and DKISP's own rules, checked at startup. */
import { Type } from '@sinclair/typebox';
import { BUILTIN_RULE_IDS } from '../data/defacement/builtin-rule-ids.js';
import { configError } from '../errors.js';
import {
  DEFAULT_DEFACEMENT_ENABLED,
  DEFAULT_DEFACEMENT_MAX_SCAN_BYTES,
  DEFAULT_DEFACEMENT_QUEUE_SIZE,
  DEFAULT_DEFACEMENT_SAMPLE_INTERVAL_MS,
  MAX_DEFACEMENT_RULES,
} from './defaults.js';

const RuleId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' });

export const DefacementRuleFileSchema = Type.Object(
  {
    id: RuleId,
    /** Whole words, case-insensitive; the page matches when `minMatches` different ones are on it. */
    terms: Type.Optional(
      Type.Array(
        Type.String({
          minLength: 2,
          maxLength: 100,
          pattern: '^[A-Za-z0-9]',
          description: 'starts with a letter or digit',
        }),
        { minItems: 1, maxItems: 200 },
      ),
    ),
    minMatches: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    /** A JavaScript regular expression over the lower-cased HTML. */
    pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const DefacementConfigFileSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    sampleIntervalMs: Type.Optional(Type.Integer({ minimum: 1_000, maximum: 86_400_000 })),
    maxScanBytes: Type.Optional(Type.Integer({ minimum: 4_096, maximum: 8 * 1024 * 1024 })),
    queueSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_024 })),
    rules: Type.Optional(Type.Array(DefacementRuleFileSchema, { maxItems: MAX_DEFACEMENT_RULES })),
  },
  { additionalProperties: false },
);

/** One rule of the config file, checked: exactly one of `terms` and `pattern`. */
export type DefacementRuleConfig =
  | { id: string; terms: string[]; minMatches: number }
  | { id: string; pattern: string };

export interface DefacementConfig {
  enabled: boolean;
  sampleIntervalMs: number;
  maxScanBytes: number;
  queueSize: number;
  rules: DefacementRuleConfig[];
}

interface DefacementFile {
  enabled?: boolean | undefined;
  sampleIntervalMs?: number | undefined;
  maxScanBytes?: number | undefined;
  queueSize?: number | undefined;
  rules?: Array<{ id: string; terms?: string[]; minMatches?: number; pattern?: string }> | undefined;
}

/** The section with its defaults; a bad rule stops the start, naming `<file> defacement.rules[i].<field>`. */
export function resolveDefacementConfig(
  input: DefacementFile | undefined,
  file = 'config',
): DefacementConfig {
  const seen = new Set<string>(BUILTIN_RULE_IDS);
  const rules = (input?.rules ?? []).map((rule, i): DefacementRuleConfig => {
    const field = `${file} defacement.rules[${i}]`;
    if (seen.has(rule.id)) throw configError(`${field}.id`, `"${rule.id}" is already a rule id`);
    seen.add(rule.id);
    if ((rule.terms === undefined) === (rule.pattern === undefined))
      throw configError(field, 'needs exactly one of terms and pattern');
    if (rule.pattern !== undefined) {
      try {
        new RegExp(rule.pattern);
      } catch (err) {
        throw configError(`${field}.pattern`, `not a valid regular expression: ${(err as Error).message}`);
      }
      return { id: rule.id, pattern: rule.pattern };
    }
    const terms = rule.terms ?? [];
    const minMatches = rule.minMatches ?? 1;
    if (minMatches > terms.length)
      throw configError(`${field}.minMatches`, `is ${minMatches} but there are ${terms.length} terms`);
    return { id: rule.id, terms, minMatches };
  });
  return {
    enabled: input?.enabled ?? DEFAULT_DEFACEMENT_ENABLED,
    sampleIntervalMs: input?.sampleIntervalMs ?? DEFAULT_DEFACEMENT_SAMPLE_INTERVAL_MS,
    maxScanBytes: input?.maxScanBytes ?? DEFAULT_DEFACEMENT_MAX_SCAN_BYTES,
    queueSize: input?.queueSize ?? DEFAULT_DEFACEMENT_QUEUE_SIZE,
    rules,
  };
}
