/** The probe filter of a route: compiled once per snapshot from the host's and the route's `probeFilter`, read with no await per request. */
import { DEFAULT_PROBE_FILTER_MODE } from '../../config/defaults.js';
import type { ProbeFilter } from '../../model/host-schema.js';
import { matchPathRule, matchQueryRule, type ProbeRuleId } from './probe-rules.js';

export type ProbeAction = 'detect' | 'block';

export interface ProbePlan {
  readonly action: ProbeAction;
  /** The status a blocked probe gets: the same plain page as any 404 or 403, so a scanner learns nothing. */
  readonly status: 403 | 404;
}

const DETECT: ProbePlan = { action: 'detect', status: 404 };
const BLOCK_404: ProbePlan = { action: 'block', status: 404 };
const BLOCK_403: ProbePlan = { action: 'block', status: 403 };

/** The route's setting wins over the host's; neither set = the default mode. `off` compiles to undefined: no work at all. */
export function compileProbeFilter(
  host: ProbeFilter | undefined,
  route: ProbeFilter | undefined,
): ProbePlan | undefined {
  const setting = route ?? host;
  const mode = setting?.mode ?? DEFAULT_PROBE_FILTER_MODE;
  if (mode === 'off') return undefined;
  if (mode === 'detect') return DETECT;
  return setting?.status === 403 ? BLOCK_403 : BLOCK_404;
}

/** The rule a request target matches, or undefined: `path` is the normalised path, `q` the index of `?` in `url`. */
export function probeRuleOf(path: string, url: string, q: number): ProbeRuleId | undefined {
  return (
    matchPathRule(path) ?? (q < 0 || q === url.length - 1 ? undefined : matchQueryRule(url.slice(q + 1)))
  );
}
