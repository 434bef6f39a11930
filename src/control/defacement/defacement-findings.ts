/** Keeps each host's latest defacement findings in the store (what the agency and admins see), one write at a time per host. */
import { DEFAULT_DEFACEMENT_FINDINGS_PER_HOST } from '../../config/defaults.js';
import type { DefacementFinding } from '../../data/defacement/finding.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';
import { decodeFindings, type FindingsRecord } from './findings-record.js';

export interface DefacementFindingsOptions {
  store: Store;
  logger: Logger;
  /** The agency a host belongs to now (kept with the record, for a host removed since). */
  agencyOf: (host: string) => string | undefined;
  keepPerHost?: number;
}

export class DefacementFindings {
  readonly #options: DefacementFindingsOptions;
  readonly #keep: number;
  /** The write under way per host: findings that come meanwhile wait in `#pending` and go in its next write. */
  readonly #writing = new Map<string, Promise<void>>();
  /**
   * Findings not written yet, per host (at most twice the kept number: older ones would be cut anyway). A defaced
   * site's many pages make one read and one write per host at a time, not one per page and rule.
   */
  readonly #pending = new Map<string, DefacementFinding[]>();

  constructor(options: DefacementFindingsOptions) {
    this.#options = options;
    this.#keep = options.keepPerHost ?? DEFAULT_DEFACEMENT_FINDINGS_PER_HOST;
  }

  /** Adds a finding to its host's record; a store that fails loses it (the metric and the log line have it). */
  record(finding: DefacementFinding): Promise<void> {
    const host = finding.host;
    const pending = this.#pending.get(host) ?? [];
    pending.push(finding);
    if (pending.length > 2 * this.#keep) pending.shift();
    this.#pending.set(host, pending);
    let writing = this.#writing.get(host);
    if (writing === undefined) {
      writing = this.#flush(host);
      this.#writing.set(host, writing);
    }
    return writing;
  }

  async #flush(host: string): Promise<void> {
    // Lets the findings of the same check (one per rule) join the first write.
    await Promise.resolve();
    for (let batch = this.#pending.get(host); batch !== undefined; batch = this.#pending.get(host)) {
      this.#pending.delete(host);
      try {
        await this.#merge(host, batch);
      } catch (err) {
        this.#options.logger.warn(
          { host, err: (err as Error).message, findings: batch.length },
          'defacement findings not kept in the store',
        );
      }
    }
    this.#writing.delete(host);
  }

  /** Resolves once every finding told so far is written (tests, shutdown). */
  async settle(): Promise<void> {
    await Promise.all([...this.#writing.values()]);
  }

  async get(host: string): Promise<FindingsRecord | undefined> {
    return decodeFindings(await this.#options.store.get('defacement', host));
  }

  async list(): Promise<FindingsRecord[]> {
    const all = await this.#options.store.getAll('defacement');
    return [...all.values()]
      .map(decodeFindings)
      .filter((r): r is FindingsRecord => r !== undefined)
      .sort((a, b) => (a.host < b.host ? -1 : 1));
  }

  async #merge(host: string, batch: readonly DefacementFinding[]): Promise<void> {
    const { store, agencyOf } = this.#options;
    const record = (await this.get(host)) ?? { host, findings: [] };
    const agency = agencyOf(host) ?? record.agency;
    for (const f of batch) {
      const same = record.findings.find((k) => k.url === f.url && k.rule === f.rule);
      if (same !== undefined) {
        if (f.at > same.lastSeen) {
          same.lastSeen = f.at;
          same.evidence = f.evidence;
          same.source = f.source;
        }
        same.count += 1;
      } else
        record.findings.push({
          url: f.url,
          rule: f.rule,
          evidence: f.evidence,
          source: f.source,
          firstSeen: f.at,
          lastSeen: f.at,
          count: 1,
        });
    }
    record.findings.sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
    record.findings.length = Math.min(record.findings.length, this.#keep);
    const out: FindingsRecord = {
      host,
      ...(agency !== undefined ? { agency } : {}),
      findings: record.findings,
    };
    await store.put('defacement', host, JSON.stringify(out));
  }
}
