/** An imported agency entry, normalised exactly as PUT /v1/agencies/{id} normalises its body. */
import { GerbangError } from '../../errors.js';
import { AgencyBodySchema, type AgencyDoc } from '../../model/agency-schema.js';
import { compileValidator } from '../../model/validate.js';
import { checkAgencyId, normalizeOwnedNames } from '../agency-service.js';
import { isObject } from './plan-problems.js';

const agencyBody = compileValidator(AgencyBodySchema);

export type AgencyFields = Omit<AgencyDoc, 'updatedAt'>;

/** The agency document PUT /v1/agencies/{id} would store (without `updatedAt`); throws what that route throws. */
export function normalizeAgency(entry: unknown, zones: readonly string[]): AgencyFields {
  if (!isObject(entry) || typeof entry.id !== 'string') {
    throw new GerbangError('VALIDATION_FAILED', '/id: an imported agency names its id');
  }
  const id = checkAgencyId(entry.id);
  const parsed = agencyBody.parse(entry, 'agency');
  const owns = normalizeOwnedNames(parsed.owns, zones);
  return {
    id,
    name: parsed.name.trim(),
    contact: parsed.contact.trim(),
    owns,
    ...(parsed.quota !== undefined ? { quota: parsed.quota } : {}),
  };
}
