/** Composition of the certificate side of one instance: fallback cert, store mirror → SNI table, HTTPS options, challenges, ACME. */
import type { TlsOptions, Server as TlsServer } from 'node:tls';
import { createSecureContext } from 'node:tls';
import type { GatewayConfig } from '../../config/schema.js';
import type { Snapshot, SnapshotHolder } from '../../data/routing/snapshot.js';
import { CertTable, CertTableHolder, TLS_POLICY } from '../../data/tls/cert-table.js';
import { loadOrCreateFallbackCert } from '../../data/tls/fallback-cert.js';
import { buildHttpsOptions, observeHandshakes } from '../../data/tls/https-options.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { Store } from '../../store/store.js';
import { AcmeManager } from '../acme/acme-manager.js';
import { ChallengeStore } from '../acme/challenge-store.js';
import { type DnsHook, ExecDnsHook } from '../acme/dns-hook.js';
import { CertMirror } from './cert-mirror.js';
import { CertificateService, type CertificateServiceOptions } from './certificate-service.js';

export interface CertificatesOptions {
  config: GatewayConfig;
  store: Store;
  snapshots: SnapshotHolder;
  logger: Logger;
  metrics: GatewayMetrics;
  /** A DNS-01 hook object; wins over config.acme.dnsHook (an executable). */
  dnsHook?: DnsHook | undefined;
  /** Audits uploads and renewals through the admin API. */
  audit?: CertificateServiceOptions['audit'];
}

export interface Certificates {
  readonly https: TlsOptions;
  readonly table: CertTableHolder;
  readonly mirror: CertMirror;
  readonly challenges: ChallengeStore;
  readonly service: CertificateService;
  readonly acme: AcmeManager | undefined;
  /** Counts handshakes of the HTTPS server. */
  observe(server: TlsServer): void;
  stop(): Promise<void>;
}

function* registeredHosts(snapshot: Snapshot): Iterable<string> {
  yield* snapshot.exact.keys();
  // Aliases get certificates like hosts: an old https:// bookmark redirects cleanly.
  yield* snapshot.aliases.keys();
  for (const suffix of snapshot.wildcards.keys()) yield `*.${suffix}`;
}

function isRegistered(snapshot: Snapshot, host: string): boolean {
  return host.startsWith('*.')
    ? snapshot.wildcards.has(host.slice(2))
    : snapshot.exact.has(host) || snapshot.aliases.has(host);
}

export async function startCertificates(options: CertificatesOptions): Promise<Certificates> {
  const { config, store, snapshots, metrics } = options;
  const logger = options.logger.child({ component: 'certificates' });
  const fallbackPair = await loadOrCreateFallbackCert(config.stateDir);
  const fallback = createSecureContext({
    ...TLS_POLICY,
    cert: fallbackPair.certificate,
    key: fallbackPair.key,
  });
  const table = new CertTableHolder(CertTable.empty(fallback));
  const mirror = new CertMirror({ store, holder: table, fallback, logger, metrics });
  await mirror.start();
  const challenges = new ChallengeStore(store, logger);
  challenges.start();

  let acme: AcmeManager | undefined;
  if (config.acme) {
    const hook = options.dnsHook ?? (config.acme.dnsHook ? new ExecDnsHook(config.acme.dnsHook) : undefined);
    acme = new AcmeManager({
      directoryUrl: config.acme.directory,
      email: config.acme.email,
      store,
      certs: mirror,
      challenges,
      registeredHosts: () => registeredHosts(snapshots.current),
      dnsHook: hook,
      logger: logger.child({ component: 'acme' }),
      metrics,
      timings: config.acme.timings,
    });
    const manager = acme;
    snapshots.onSwap(() => manager.checkSoon());
    manager.start();
  }

  const service = new CertificateService({
    store,
    certs: mirror,
    acme,
    zones: config.zones,
    isRegistered: (host) => isRegistered(snapshots.current, host),
    audit: options.audit,
  });

  return {
    https: buildHttpsOptions(table, fallbackPair),
    table,
    mirror,
    challenges,
    service,
    acme,
    observe: (server) => observeHandshakes(server, metrics),
    async stop() {
      await acme?.stop();
      mirror.stop();
      challenges.stop();
    },
  };
}
