/** The writes an import plan consists of, and the order they are applied in. */
import type { AgencyDoc } from '../../model/agency-schema.js';
import type { HostDoc } from '../../model/host-schema.js';
import type { StoredInventory } from '../../model/inventory-schema.js';
import type { CertRecord } from '../certificates/cert-record.js';
import type { StoredUser, TransferredUser } from '../users/user-schema.js';
import type { AgencyFields } from './agency-entry.js';
import type { TransferChange } from './transfer-document.js';

/** One write the import makes, with what was there before (for the difference and for a rollback). */
export type PlannedStep =
  | { kind: 'agency.put'; id: string; body: AgencyFields; before: AgencyDoc | undefined }
  | { kind: 'agency.delete'; id: string; before: AgencyDoc }
  | { kind: 'host.put'; host: string; body: Record<string, unknown>; before: HostDoc | undefined }
  | { kind: 'host.delete'; host: string; before: HostDoc }
  | { kind: 'inventory.put'; id: string; body: Record<string, unknown>; before: StoredInventory | undefined }
  | { kind: 'inventory.delete'; id: string; before: StoredInventory }
  | { kind: 'user.create'; login: string; profile: TransferredUser }
  | {
      kind: 'user.update';
      login: string;
      id: string;
      profile: { name: string; role: string };
      before: StoredUser;
    }
  | { kind: 'user.delete'; login: string; id: string; before: StoredUser }
  | {
      kind: 'certificate.put';
      host: string;
      certificate: string;
      key: string;
      before: CertRecord | undefined;
    };

export interface ImportPlan {
  steps: PlannedStep[];
  changes: TransferChange[];
}

/**
 * Puts first (agencies before the hosts that name them), then removals (hosts before their agencies), then
 * certificates: removing an agency also revokes its tokens, which no rollback can bring back, so it comes last but
 * for the certificates, whose validation has been done in full. Users after the agencies their roles name, and
 * removed ones before their agency goes.
 */
export function orderSteps(steps: PlannedStep[]): PlannedStep[] {
  const rank: Record<PlannedStep['kind'], number> = {
    'agency.put': 0,
    'host.put': 1,
    // After the hosts a live entry names.
    'inventory.put': 2,
    'inventory.delete': 2,
    'host.delete': 3,
    'user.create': 2,
    'user.update': 2,
    'user.delete': 3,
    'certificate.put': 4,
    'agency.delete': 5,
  };
  return [...steps].sort((a, b) => rank[a.kind] - rank[b.kind]);
}
