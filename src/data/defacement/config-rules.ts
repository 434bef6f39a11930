/** DKISP's own rules from the config file (`defacement.rules`, checked at startup), compiled into rules like the built-in ones. */
import type { DefacementRuleConfig } from '../../config/defacement-config.js';
import { type DefacementRule, literalWordPattern, termsIn } from './rule.js';

export function compileConfigRule(rule: DefacementRuleConfig): DefacementRule {
  if ('pattern' in rule) {
    const pattern = new RegExp(rule.pattern);
    return {
      id: rule.id,
      test(page) {
        const m = pattern.exec(page.html);
        return m === null ? undefined : m[0].slice(0, 200) || rule.id;
      },
    };
  }
  const terms = rule.terms.map(literalWordPattern);
  const needed = rule.minMatches;
  return {
    id: rule.id,
    test(page) {
      const found = termsIn(page.html, terms);
      return found.length >= needed ? found.join(', ') : undefined;
    },
  };
}
