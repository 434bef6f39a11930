/** POST /v1/import's work: plan everything, report the difference, apply all of it or nothing, and audit a summary. */
import { GerbangError } from '../../errors.js';
import type { Actor } from '../audit-log.js';
import { applyPlan } from './import-apply.js';
import { planImport } from './import-plan.js';
import type { ImportReport, TransferChange, TransferDocument } from './transfer-document.js';
import type { TransferOptions } from './transfer-options.js';

function report(changes: TransferChange[], dryRun: boolean, prune: boolean, applied: boolean): ImportReport {
  const summary = { create: 0, change: 0, remove: 0, unchanged: 0, skipped: 0 };
  const byAgency: ImportReport['byAgency'] = {};
  for (const c of changes) {
    summary[c.action]++;
    if (c.action === 'create' || c.action === 'change' || c.action === 'remove') {
      const key = c.agency ?? '-';
      byAgency[key] ??= { create: 0, change: 0, remove: 0 };
      byAgency[key][c.action]++;
    }
  }
  return { dryRun, applied, prune, changes, summary, byAgency };
}

export class ConfigurationImport {
  /** One import at a time on this instance: two interleaved ones could each roll back the other's writes. */
  private running = false;

  constructor(private readonly options: TransferOptions) {}

  async run(
    doc: TransferDocument,
    actor: Actor,
    flags: { dryRun: boolean; prune: boolean },
  ): Promise<ImportReport> {
    if (this.running)
      throw new GerbangError('CONFLICT', 'another import is running on this instance; try again');
    this.running = true;
    try {
      const plan = await planImport(this.options, doc, actor, flags.prune);
      if (flags.dryRun) return report(plan.changes, true, flags.prune, false);
      const outcome = report(plan.changes, false, flags.prune, true);
      const owners = plan.changes.map((c) => c.agency);
      try {
        await applyPlan(this.options, plan.steps, actor);
      } catch (err) {
        await this.summary(actor, owners, {
          ...outcome.summary,
          applied: false,
          error: (err as Error).message,
        });
        throw err;
      }
      await this.summary(actor, owners, { ...outcome.summary, applied: true, prune: flags.prune });
      return outcome;
    } finally {
      this.running = false;
    }
  }

  /** One entry for the whole import, beside the services' one entry per change. */
  private async summary(
    actor: Actor,
    owners: Array<string | undefined>,
    after: Record<string, unknown>,
  ): Promise<void> {
    await this.options.audit.append(actor, {
      action: 'config.import',
      target: 'import',
      owners,
      before: null,
      after,
    });
  }
}
