/** The ids of the built-in defacement rules: the config's own rules may not reuse them. */
export const BUILTIN_RULE_IDS = [
  'gambling-spam-terms',
  'gambling-title',
  'hidden-link-block',
  'gambling-link-list',
] as const;

export type BuiltinRuleId = (typeof BUILTIN_RULE_IDS)[number];
