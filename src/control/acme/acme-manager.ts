/** Orders and renews certificates for registered hosts through acme-client: one instance per host under a store lock, shared backoff, results written to the store. */
import * as acme from 'acme-client';
import {
  DEFAULT_ACME_BACKOFF_MAX_MS,
  DEFAULT_ACME_BACKOFF_MIN_MS,
  DEFAULT_ACME_CHECK_INTERVAL_MS,
  DEFAULT_ACME_LOCK_TTL_MS,
  DEFAULT_ACME_POLL_ATTEMPTS,
  DEFAULT_ACME_POLL_MAX_MS,
  DEFAULT_ACME_POLL_MIN_MS,
  DEFAULT_ACME_RENEW_RATIO,
  DEFAULT_ACME_STOP_WAIT_MS,
} from '../../config/defaults.js';
import type { AcmeTimingsConfig } from '../../config/schema.js';
import { factsOf, splitPemCertificates } from '../../data/tls/pem.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { Store } from '../../store/store.js';
import type { CertMirror } from '../certificates/cert-mirror.js';
import { type CertRecord, decodeCert, encodeCert } from '../certificates/cert-record.js';
import { loadOrCreateAccountKey } from './acme-account.js';
import { type AcmeStatus, backoffDelay, clearStatus, readStatus, writeStatus } from './acme-status.js';
import type { ChallengeStore } from './challenge-store.js';
import type { DnsHook } from './dns-hook.js';

export type AcmeTimings = AcmeTimingsConfig;

export const DEFAULT_ACME_TIMINGS: AcmeTimings = {
  renewRatio: DEFAULT_ACME_RENEW_RATIO,
  checkIntervalMs: DEFAULT_ACME_CHECK_INTERVAL_MS,
  backoffMinMs: DEFAULT_ACME_BACKOFF_MIN_MS,
  backoffMaxMs: DEFAULT_ACME_BACKOFF_MAX_MS,
  lockTtlMs: DEFAULT_ACME_LOCK_TTL_MS,
  pollMinMs: DEFAULT_ACME_POLL_MIN_MS,
  pollMaxMs: DEFAULT_ACME_POLL_MAX_MS,
  pollAttempts: DEFAULT_ACME_POLL_ATTEMPTS,
};

export interface AcmeManagerOptions {
  directoryUrl: string;
  email: string | undefined;
  store: Store;
  certs: CertMirror;
  challenges: ChallengeStore;
  /** The registered host names right now (exact and `*.x`); only these are ever ordered. */
  registeredHosts: () => Iterable<string>;
  dnsHook: DnsHook | undefined;
  logger: Logger;
  metrics: GatewayMetrics;
  timings?: Partial<AcmeTimings>;
}

/** True when a certificate has `ratio` or less of its lifetime left (or is unreadable). */
export function needsRenewal(
  record: Pick<CertRecord, 'notBefore' | 'notAfter'>,
  ratio: number,
  now = Date.now(),
): boolean {
  const start = Date.parse(record.notBefore);
  const end = Date.parse(record.notAfter);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return true;
  return (end - now) / (end - start) <= ratio;
}

function isRateLimit(err: Error): boolean {
  return /rate.?limit|too many/i.test(err.message);
}

export class AcmeManager {
  private readonly timings: AcmeTimings;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Hosts an admin asked to renew while an order was already running: ordered again right after. */
  private readonly renewAfter = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private client: acme.Client | undefined;
  private stopped = false;

  constructor(private readonly options: AcmeManagerOptions) {
    this.timings = { ...DEFAULT_ACME_TIMINGS, ...options.timings };
  }

  get hasDnsHook(): boolean {
    return this.options.dnsHook !== undefined;
  }

  start(): void {
    this.timer = setInterval(() => this.check(), this.timings.checkIntervalMs);
    this.timer.unref();
    this.checkSoon();
  }

  /** Hosts changed (registration, removal): look again shortly, coalescing bursts. */
  checkSoon(): void {
    if (this.stopped || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.check();
    }, 50);
    this.soon.unref();
  }

  /** Starts an order for `host` now, whatever its certificate's age or backoff (admin "renew"). */
  renew(host: string): void {
    if (this.inFlight.has(host)) this.renewAfter.add(host);
    else this.launch(host, true);
  }

  /** The order in flight for `host` on this instance, if any (tests, admin). */
  pending(host: string): Promise<void> | undefined {
    return this.inFlight.get(host);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    const running = [...this.inFlight.values()];
    if (running.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(running),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, DEFAULT_ACME_STOP_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private check(): void {
    if (this.stopped) return;
    const registered = new Set(this.options.registeredHosts());
    for (const host of registered) {
      if (this.inFlight.has(host)) continue;
      const current = this.options.certs.get(host);
      if (current && !this.due(current)) continue;
      if (host.startsWith('*.') && !this.options.dnsHook) continue;
      this.launch(host, false);
    }
    // A removed host keeps no backoff series.
    for (const record of this.options.certs.list()) {
      if (!registered.has(record.host)) this.options.metrics.acmeBackoff.remove({ host: record.host });
    }
  }

  /** Uploaded certificates are the operator's choice: ACME steps in only once they have expired. */
  private due(record: CertRecord): boolean {
    if (record.source === 'uploaded') return Date.parse(record.notAfter) <= Date.now();
    return needsRenewal(record, this.timings.renewRatio);
  }

  private launch(host: string, force: boolean): void {
    if (this.stopped || this.inFlight.has(host)) return;
    const run = this.order(host, force)
      .catch((err: Error) => this.options.logger.error({ host, err: err.message }, 'ACME order crashed'))
      .finally(() => {
        this.inFlight.delete(host);
        if (this.renewAfter.delete(host)) this.launch(host, true);
      });
    this.inFlight.set(host, run);
  }

  private async order(host: string, force: boolean): Promise<void> {
    const { store, logger, metrics } = this.options;
    const status = await readStatus(store, host);
    if (!force && status && Date.parse(status.nextAttemptAt) > Date.now()) return;
    const lock = await store.tryLock(`acme:${host}`, this.timings.lockTtlMs);
    // Another instance is ordering this host; its result reaches us through the change feed.
    if (!lock) return;
    try {
      // Re-check against the store, not the mirror: another instance may have finished a moment ago.
      const stored = await store.get('certs', host);
      const current = stored === undefined ? undefined : decodeCert(host, stored);
      if (!force) {
        if (current && !this.due(current)) return;
        const again = await readStatus(store, host);
        if (again && Date.parse(again.nextAttemptAt) > Date.now()) return;
      }
      if (!this.stillRegistered(host)) return;

      logger.info({ host, renewal: current !== undefined, fence: lock.fence }, 'ACME order started');
      let record: CertRecord;
      try {
        record = await this.issue(host, lock.fence);
      } catch (err) {
        await this.failed(host, status, err as Error);
        return;
      }
      // Counted before the certificate is served, so nobody sees the certificate without its order.
      metrics.acmeOrders.inc({ result: 'success' });
      // Fencing: a holder whose lock expired mid-order must not overwrite a newer holder's certificate.
      const latest = await store.get('certs', host);
      const latestFence = latest === undefined ? undefined : decodeCert(host, latest).fence;
      if (latestFence !== undefined && latestFence > lock.fence) {
        logger.warn(
          { host, fence: lock.fence, latestFence },
          'ACME result dropped: a newer order already wrote',
        );
        return;
      }
      await store.put('certs', host, encodeCert(record));
      this.options.certs.applyLocal(record);
      await clearStatus(store, host);
      metrics.acmeBackoff.set({ host }, 0);
      logger.info({ host, notAfter: record.notAfter, serial: record.serial }, 'ACME certificate issued');
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  private stillRegistered(host: string): boolean {
    for (const name of this.options.registeredHosts()) if (name === host) return true;
    return false;
  }

  private async failed(host: string, previous: AcmeStatus | undefined, err: Error): Promise<void> {
    const { store, logger, metrics } = this.options;
    const failures = (previous?.failures ?? 0) + 1;
    let delay = backoffDelay(failures, this.timings.backoffMinMs, this.timings.backoffMaxMs);
    // acme-client has already waited out Retry-After on 429 a few times: the CA still refuses, so wait long.
    if (isRateLimit(err)) delay = this.timings.backoffMaxMs;
    const now = Date.now();
    metrics.acmeOrders.inc({ result: 'failure' });
    metrics.acmeRenewalsFailed.inc({ host });
    metrics.acmeBackoff.set({ host }, delay / 1000);
    logger.warn(
      { host, failures, retryInMs: delay, err: err.message },
      'ACME order failed; the current certificate (if any) stays in service',
    );
    try {
      await writeStatus(store, host, {
        failures,
        lastError: err.message.slice(0, 500),
        lastAttemptAt: new Date(now).toISOString(),
        nextAttemptAt: new Date(now + delay).toISOString(),
      });
    } catch (writeErr) {
      logger.warn({ host, err: (writeErr as Error).message }, 'could not record the ACME failure');
    }
  }

  private async acmeClient(): Promise<acme.Client> {
    if (this.client) return this.client;
    const accountKey = await loadOrCreateAccountKey(this.options.store);
    this.client = new acme.Client({
      directoryUrl: this.options.directoryUrl,
      accountKey,
      backoffAttempts: this.timings.pollAttempts,
      backoffMin: this.timings.pollMinMs,
      backoffMax: this.timings.pollMaxMs,
    });
    return this.client;
  }

  private async issue(host: string, fence: number): Promise<CertRecord> {
    const { dnsHook, challenges } = this.options;
    const wildcard = host.startsWith('*.');
    if (wildcard && !dnsHook) throw new Error('a wildcard needs DNS-01, and no DNS hook is configured');
    const client = await this.acmeClient();
    const [key, csr] = await acme.crypto.createCsr(
      { altNames: [host] },
      await acme.crypto.createPrivateEcdsaKey(),
    );
    const chain = await client.auto({
      csr,
      email: this.options.email,
      termsOfServiceAgreed: true,
      // Nothing resolves our names from inside the data centre the way the CA sees them: the CA checks.
      skipChallengeVerification: true,
      challengePriority: wildcard ? ['dns-01'] : ['http-01'],
      challengeCreateFn: async (authz, challenge, keyAuthorization) => {
        if (challenge.type === 'http-01') await challenges.put(challenge.token, keyAuthorization);
        else if (challenge.type === 'dns-01' && dnsHook)
          await dnsHook.set(`_acme-challenge.${authz.identifier.value}`, keyAuthorization);
        else throw new Error(`unexpected challenge type ${challenge.type}`);
      },
      challengeRemoveFn: async (authz, challenge, keyAuthorization) => {
        if (challenge.type === 'http-01') await challenges.clear(challenge.token);
        else if (challenge.type === 'dns-01' && dnsHook)
          await dnsHook.clear(`_acme-challenge.${authz.identifier.value}`, keyAuthorization);
      },
    });
    const blocks = splitPemCertificates(chain);
    const leaf = blocks[0];
    if (!leaf) throw new Error('the CA returned no certificate');
    const facts = factsOf(leaf);
    return {
      host,
      source: 'acme',
      certificate: blocks.join('\n'),
      key: key.toString(),
      names: facts.names,
      issuer: facts.issuer,
      serial: facts.serial,
      notBefore: facts.notBefore.toISOString(),
      notAfter: facts.notAfter.toISOString(),
      updatedAt: new Date().toISOString(),
      fence,
    };
  }
}
