/** Runs every rule over one page's kept bytes: the findings, at most one per rule. */
import type { DefacementRule } from './rule.js';

export interface RuleMatch {
  rule: string;
  /** What matched, short. */
  evidence: string;
}

export function scanPage(body: Buffer, host: string, rules: readonly DefacementRule[]): RuleMatch[] {
  // latin1: one character per byte (the rules look for ASCII words), several times cheaper than decoding UTF-8.
  const page = { html: body.toString('latin1').toLowerCase(), host: host.replace(/^\*\./, '') };
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    const evidence = rule.test(page);
    if (evidence !== undefined) matches.push({ rule: rule.id, evidence: evidence.slice(0, 300) });
  }
  return matches;
}
