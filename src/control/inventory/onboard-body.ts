/** What POST /v1/onboard (and Konsol's onboarding form) accepts: one schema for both. */
import { Type } from '@sinclair/typebox';
import { DEFAULT_ONBOARD_TIMEOUT_MS, MAX_ONBOARD_TIMEOUT_MS } from '../../config/defaults.js';

export const OnboardBodySchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'the portal’s current address' }),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: 'the name it gets here' })),
    agency: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' })),
    timeoutMs: Type.Optional(
      Type.Integer({
        minimum: 100,
        maximum: MAX_ONBOARD_TIMEOUT_MS,
        description: `the whole probe, redirects included (default ${DEFAULT_ONBOARD_TIMEOUT_MS})`,
      }),
    ),
  },
  { additionalProperties: false },
);
