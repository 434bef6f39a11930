/** The IPC messages between the cluster primary (control plane) and its data-plane workers: plain JSON, tagged `gerbang:*`. */
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { DefacementFinding } from '../data/defacement/finding.js';
import type { TargetReport } from '../data/health/target-state.js';
import type { SourcedHost } from '../data/routing/compile-snapshot.js';
import type { CertMaterial } from '../data/tls/cert-table.js';
import type { MovingService } from '../model/inventory-schema.js';
import type { ServiceUptime } from '../model/service-uptime.js';
import type { InfrastructureSource } from '../model/target-policy.js';
import type { UsageDelta } from '../observability/usage-meter.js';

export interface Verdict {
  origin: string;
  up: boolean;
  reason: string;
}

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** Primary → worker. */
export type PrimaryMessage =
  /** Every host (on hello) or the changed ones; `remove` lists names gone since the last message. */
  | {
      t: 'gerbang:hosts';
      version: number;
      full: boolean;
      upsert: SourcedHost[];
      remove: string[];
      agencies: Record<string, string>;
    }
  | { t: 'gerbang:health'; verdicts: Verdict[] }
  | { t: 'gerbang:certs'; certs: CertMaterial[] }
  /** The inventory's services still being moved, for the directory: every one, on each change. */
  | { t: 'gerbang:inventory'; moving: MovingService[] }
  /** Every host's 90-day uptime summary, for the directory's bars: all of them, on each change. */
  | { t: 'gerbang:uptime'; summaries: Record<string, ServiceUptime> }
  /** TLS session ticket keys (base64, 48 bytes each): secrets, never logged; IPC stays on this host. */
  | { t: 'gerbang:ticket-keys'; current: string; previous: string | null }
  | { t: 'gerbang:challenge-answer'; id: number; value: string | null }
  | { t: 'gerbang:purge'; host: string; prefix: string }
  /** The data centre's own infrastructure of one source (other instances, Redis): refused at connect too. */
  | { t: 'gerbang:infrastructure'; source: InfrastructureSource }
  | { t: 'gerbang:metrics'; id: number }
  | { t: 'gerbang:drain' };

/** Worker → primary. */
export type WorkerMessage =
  | { t: 'gerbang:hello' }
  | { t: 'gerbang:ready'; http: number; https: number }
  | { t: 'gerbang:applied'; version: number }
  | { t: 'gerbang:challenge'; id: number; token: string }
  | { t: 'gerbang:target'; report: TargetReport }
  | { t: 'gerbang:metrics-reply'; id: number; metrics: MetricsJson }
  /** Usage counted since the worker's previous report: the primary adds it to its own before writing to the store. */
  | { t: 'gerbang:usage'; deltas: readonly UsageDelta[] }
  /** A page the worker's defacement watch found: the primary keeps it in the store. */
  | { t: 'gerbang:defacement'; finding: DefacementFinding };

export function isMessage<T extends { t: string }>(value: unknown): value is T {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { t?: unknown }).t === 'string' &&
    (value as { t: string }).t.startsWith('gerbang:')
  );
}
