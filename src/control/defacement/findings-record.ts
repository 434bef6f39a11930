/** A host's latest defacement findings as the store keeps them (namespace `defacement`, one value per host). */
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const KeptFindingSchema = Type.Object({
  url: Type.String({ description: 'host name and path as requested' }),
  rule: Type.String({ description: 'id of the rule that matched (built-in or from defacement.rules)' }),
  evidence: Type.String({ description: 'what matched, short' }),
  source: Type.Union([Type.Literal('cache'), Type.Literal('sample')], {
    description: 'cache: a response the cache stored; sample: a sampled proxied response',
  }),
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  count: Type.Integer({ minimum: 1, description: 'checks that found it (on the instance that wrote last)' }),
});

export const FindingsRecordSchema = Type.Object({
  host: Type.String(),
  agency: Type.Optional(Type.String()),
  findings: Type.Array(KeptFindingSchema),
});

export type KeptFinding = Static<typeof KeptFindingSchema>;
export type FindingsRecord = Static<typeof FindingsRecordSchema>;

/** A stored value read back; undefined for one that is not a record (another version, a hand edit). */
export function decodeFindings(raw: string | undefined): FindingsRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return Value.Check(FindingsRecordSchema, value) ? value : undefined;
  } catch {
    return undefined;
  }
}
