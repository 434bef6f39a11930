/** A host's or route's header policy compiled once per snapshot: the lists the request path walks, or undefined when there is nothing to do. */
import {
  DEFAULT_HEADER_DEFAULTS,
  DEFAULT_REMOVED_BANNERS,
  DEFAULT_SECURITY_HEADERS,
} from '../../config/defaults.js';
import type { HeaderRules, HeadersPolicy } from '../../model/headers-schema.js';

type Pair = readonly [name: string, value: string];

/** One direction's rules, names lower-cased; applied remove → setIfAbsent → set. */
export interface HeaderRuleSet {
  /** Removed fields, and the fields `set` replaces. */
  readonly remove: ReadonlySet<string>;
  readonly setIfAbsent: readonly Pair[];
  /** The names of setIfAbsent, for the one pass over a stored head. */
  readonly absentNames: ReadonlySet<string>;
  readonly set: readonly Pair[];
}

export interface ResponseHeaderPlan extends HeaderRuleSet {
  /** Server keeps its product name only (`Apache/2.4.6 (CentOS) PHP/5.4` → `Apache`). */
  readonly stripServer: boolean;
}

const NO_PAIRS: readonly Pair[] = [];

function pairsOf(values: Record<string, string> | undefined): Pair[] {
  return Object.entries(values ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const);
}

function namesOf(rules: HeaderRules | undefined): Set<string> {
  const names = new Set<string>();
  for (const name of Object.keys(rules?.set ?? {})) names.add(name.toLowerCase());
  for (const name of Object.keys(rules?.setIfAbsent ?? {})) names.add(name.toLowerCase());
  for (const name of rules?.remove ?? []) names.add(name.toLowerCase());
  return names;
}

function ruleSet(
  rules: HeaderRules | undefined,
  extraRemove: readonly string[],
  extraIfAbsent: readonly Pair[],
): HeaderRuleSet {
  const set = pairsOf(rules?.set);
  const setIfAbsent = [...pairsOf(rules?.setIfAbsent), ...extraIfAbsent];
  const remove = new Set([
    ...(rules?.remove ?? []).map((n) => n.toLowerCase()),
    ...set.map(([n]) => n),
    ...extraRemove,
  ]);
  return {
    remove,
    setIfAbsent: setIfAbsent.length > 0 ? setIfAbsent : NO_PAIRS,
    absentNames: new Set(setIfAbsent.map(([n]) => n)),
    set,
  };
}

/** The default policy alone: one shared object, so heads built for it stay valid across snapshots. */
export const DEFAULT_RESPONSE_PLAN: ResponseHeaderPlan = {
  ...ruleSet(undefined, DEFAULT_REMOVED_BANNERS, pairsOf({ ...DEFAULT_SECURITY_HEADERS })),
  stripServer: true,
};

/** Undefined when the defaults are off and no response rule is given: the writers then do nothing at all. */
export function compileResponseHeaders(policy: HeadersPolicy | undefined): ResponseHeaderPlan | undefined {
  const defaults = policy?.defaults ?? DEFAULT_HEADER_DEFAULTS;
  const rules = policy?.response;
  const empty = rules === undefined || namesOf(rules).size === 0;
  if (empty) return defaults ? DEFAULT_RESPONSE_PLAN : undefined;
  // A field the rules name is theirs: the defaults neither add nor remove it.
  const named = namesOf(rules);
  const banners = defaults ? DEFAULT_REMOVED_BANNERS.filter((n) => !named.has(n)) : [];
  const security = defaults
    ? pairsOf({ ...DEFAULT_SECURITY_HEADERS }).filter(([n]) => !named.has(n))
    : NO_PAIRS;
  return { ...ruleSet(rules, banners, security), stripServer: defaults && !named.has('server') };
}

/** Undefined when no request rule is given. */
export function compileRequestHeaders(policy: HeadersPolicy | undefined): HeaderRuleSet | undefined {
  const rules = policy?.request;
  if (rules === undefined || namesOf(rules).size === 0) return undefined;
  return ruleSet(rules, [], NO_PAIRS);
}
