/** Onboarding a legacy portal: the one call behind POST /v1/onboard and Konsol's /konsol/onboard (same checks, same probe). */
import type { Static } from '@sinclair/typebox';
import { DEFAULT_ONBOARD_TIMEOUT_MS } from '../../config/defaults.js';
import type { TargetPolicy } from '../../model/target-policy.js';
import { compileValidator } from '../../model/validate.js';
import { agencyOf, type Principal } from '../auth.js';
import { OnboardBodySchema } from './onboard-body.js';
import { type ProbeReport, probePortal } from './onboard-probe.js';
import { type OnboardProposal, proposeHost } from './onboard-proposal.js';

export type OnboardBody = Static<typeof OnboardBodySchema>;

export interface OnboardContext {
  policy: TargetPolicy;
  zones: readonly string[];
}

const bodyValidator = compileValidator(OnboardBodySchema);

/** Probes the portal (only where the backend policy allows) and proposes its host document; registers nothing. */
export async function onboardPortal(
  body: unknown,
  principal: Principal,
  context: OnboardContext,
): Promise<{ probe: ProbeReport; proposal: OnboardProposal }> {
  const parsed = bodyValidator.parse(body, 'onboard request');
  const probe = await probePortal(parsed.url, context.policy, parsed.timeoutMs ?? DEFAULT_ONBOARD_TIMEOUT_MS);
  // An agency's proposal is for its own agency, whatever the body says: the PUT would refuse another.
  const agency = agencyOf(principal) ?? parsed.agency;
  return { probe, proposal: proposeHost(probe, context.zones, { host: parsed.host, agency }) };
}
