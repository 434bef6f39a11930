/** One defacement finding as the data plane reports it to the control plane (also across the cluster IPC). */

export interface DefacementFinding {
  /** The registered host (a compiled host's name). */
  host: string;
  /** Host name and path as requested: `dinkes.paserkab.go.id/berita?id=3`. */
  url: string;
  rule: string;
  /** What matched, short. */
  evidence: string;
  /** `cache`: a response the cache stored; `sample`: a sampled proxied response. */
  source: 'cache' | 'sample';
  /** ISO time of the check. */
  at: string;
}

/** A finding that came over IPC, checked field by field. */
export function isDefacementFinding(value: unknown): value is DefacementFinding {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.host === 'string' &&
    typeof v.url === 'string' &&
    typeof v.rule === 'string' &&
    typeof v.evidence === 'string' &&
    (v.source === 'cache' || v.source === 'sample') &&
    typeof v.at === 'string'
  );
}
