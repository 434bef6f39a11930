/** A data-plane worker of the cluster: the public listeners, router, proxy and cache, fed snapshots, certificates and health by the primary over IPC. */

import { performance } from 'node:perf_hooks';
import type { Server as TlsServer } from 'node:tls';
import { createSecureContext } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_USAGE_FLUSH_INTERVAL_MS } from '../config/defaults.js';
import type { GatewayConfig } from '../config/schema.js';
import { UsageFlusher } from '../control/usage/usage-flusher.js';
import { reportTrips } from '../data/health/report-trips.js';
import { listenOn } from '../data/listeners/listen-on.js';
import { buildPublicListeners, drainListeners } from '../data/listeners/public-listeners.js';
import { TargetStates } from '../data/proxy/balancer.js';
import { clientPoolOptions, UpstreamPools } from '../data/proxy/upstream-pools.js';
import { compileSnapshot, type SourcedHost } from '../data/routing/compile-snapshot.js';
import { SnapshotHolder } from '../data/routing/snapshot.js';
import { CertTable, CertTableHolder, TLS_POLICY } from '../data/tls/cert-table.js';
import { loadOrCreateFallbackCert } from '../data/tls/fallback-cert.js';
import { buildHttpsOptions, observeHandshakes } from '../data/tls/https-options.js';
import { TicketKeyRing } from '../data/tls/ticket-key-ring.js';
import type { MovingService } from '../model/inventory-schema.js';
import type { ServiceUptime } from '../model/service-uptime.js';
import { TargetPolicy } from '../model/target-policy.js';
import { flushLogsSync, type Logger } from '../observability/logger.js';
import { GatewayMetrics } from '../observability/metrics.js';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';

/** How long a worker waits for the primary to answer an ACME challenge lookup. */
const CHALLENGE_LOOKUP_TIMEOUT_MS = 2_000;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

export async function runClusterWorker(config: GatewayConfig, logger: Logger): Promise<void> {
  const metrics = new GatewayMetrics();
  // The primary states the version once for the whole cluster.
  metrics.buildInfo.reset();
  const holder = new SnapshotHolder();
  const policy = new TargetPolicy(config.backends ?? { allow: [], deny: [] });
  const pools = new UpstreamPools({ policy, ...clientPoolOptions(config) });
  const states = new TargetStates(config.upstream);
  reportTrips(states, metrics, logger);
  // The primary shows the cluster's view of each target: every passive change goes up.
  states.events.onChange = (target) =>
    send({ t: 'gerbang:target', report: target.report(performance.now()) });

  const hosts = new Map<string, SourcedHost>();
  const agencies = new Map<string, string>();
  const moving = { generation: 0, list: [] as MovingService[] };
  const uptime = { generation: 0, byHost: new Map<string, ServiceUptime>() };
  const fallbackPair = await loadOrCreateFallbackCert(config.stateDir);
  const fallback = createSecureContext({
    ...TLS_POLICY,
    cert: fallbackPair.certificate,
    key: fallbackPair.key,
  });
  const certs = new CertTableHolder(CertTable.empty(fallback));

  let nextChallenge = 0;
  const challenges = new Map<number, (value: string | undefined) => void>();
  const lookupChallenge = (token: string): Promise<string | undefined> =>
    new Promise((resolve) => {
      const id = ++nextChallenge;
      const timer = setTimeout(() => {
        challenges.delete(id);
        resolve(undefined);
      }, CHALLENGE_LOOKUP_TIMEOUT_MS);
      challenges.set(id, (value) => {
        clearTimeout(timer);
        challenges.delete(id);
        resolve(value);
      });
      send({ t: 'gerbang:challenge', id, token });
    });

  const {
    http: publicApp,
    https: httpsApp,
    cache,
  } = await buildPublicListeners({
    config,
    holder,
    pools,
    metrics,
    logger,
    agencyName: (id) => agencies.get(id),
    moving: {
      get generation() {
        return moving.generation;
      },
      moving: () => moving.list,
    },
    uptime: {
      get generation() {
        return uptime.generation;
      },
      of: (host) => uptime.byHost.get(host),
    },
    https: buildHttpsOptions(certs, fallbackPair),
    acmeChallenge: lookupChallenge,
    // The worker has no store: its defacement findings go to the primary, which keeps them.
    onDefacement: (finding) => send({ t: 'gerbang:defacement', finding }),
  });
  observeHandshakes(httpsApp.server as unknown as TlsServer, metrics);
  // The primary's shared keys replace this worker's own as soon as they come (before the first hosts).
  const ticketRing = new TicketKeyRing();
  ticketRing.install(httpsApp.server as unknown as TlsServer);

  // The worker has no store: its usage goes to the primary, which writes it with its own (never twice).
  const usage = new UsageFlusher({
    sink: (deltas) =>
      new Promise((resolve) => {
        if (!process.send) return resolve(deltas);
        process.send({ t: 'gerbang:usage', deltas } satisfies WorkerMessage, undefined, {}, (err) =>
          resolve(err ? deltas : []),
        );
      }),
    meter: metrics.usage,
    metrics,
    logger,
    intervalMs: config.usage?.flushIntervalMs ?? DEFAULT_USAGE_FLUSH_INTERVAL_MS,
  });
  usage.start();

  let draining: Promise<void> | undefined;
  const drain = (): Promise<void> => {
    draining ??= (async () => {
      await drainListeners({ http: publicApp, https: httpsApp }, config.limits.drainTimeoutMs);
      // The last requests' counts, handed over before the exit (a primary already gone just loses them).
      await usage.stop();
      await pools.close();
      await cache?.close();
      flushLogsSync(logger);
      process.exit(0);
    })();
    return draining;
  };

  const apply = (message: PrimaryMessage): void => {
    switch (message.t) {
      case 'gerbang:hosts': {
        if (message.full) hosts.clear();
        for (const name of message.remove) hosts.delete(name);
        for (const entry of message.upsert) hosts.set(entry.doc.host, entry);
        agencies.clear();
        for (const [id, name] of Object.entries(message.agencies)) agencies.set(id, name);
        const { snapshot, origins } = compileSnapshot(hosts.values(), states, message.version, (host, err) =>
          logger.error({ host, err: err.message }, 'host skipped: it does not compile'),
        );
        holder.swap(snapshot);
        pools.retain(origins);
        metrics.routeTableReloads.inc({ result: 'success' });
        send({ t: 'gerbang:applied', version: message.version });
        return;
      }
      case 'gerbang:health':
        for (const v of message.verdicts) states.peek(v.origin)?.setActive(v.up, v.reason);
        return;
      case 'gerbang:inventory':
        moving.list = message.moving;
        moving.generation++;
        return;
      case 'gerbang:uptime':
        uptime.byHost = new Map(Object.entries(message.summaries));
        uptime.generation++;
        return;
      case 'gerbang:certs':
        certs.swap(
          CertTable.build(message.certs, fallback, (host, err) =>
            logger.error({ host, err: err.message }, 'certificate does not load; the fallback serves'),
          ),
        );
        return;
      case 'gerbang:ticket-keys':
        ticketRing.set({
          current: Buffer.from(message.current, 'base64'),
          previous: message.previous === null ? undefined : Buffer.from(message.previous, 'base64'),
        });
        return;
      case 'gerbang:challenge-answer':
        challenges.get(message.id)?.(message.value ?? undefined);
        return;
      case 'gerbang:purge':
        cache?.purgeLocal(message.host, message.prefix);
        return;
      case 'gerbang:infrastructure':
        policy.setInfrastructure(message.source.source, message.source.what, message.source.endpoints);
        return;
      case 'gerbang:metrics':
        void metrics.registry
          .getMetricsAsJSON()
          .then((json) => send({ t: 'gerbang:metrics-reply', id: message.id, metrics: json as never }));
        return;
      case 'gerbang:drain':
        void drain();
        return;
    }
  };

  // The primary sends state only after hello, so nothing arrives before this listener is there.
  let first: (() => void) | undefined;
  const firstHosts = new Promise<void>((resolve) => {
    first = resolve;
  });
  process.on('message', (raw: unknown) => {
    if (!isMessage<PrimaryMessage>(raw)) return;
    apply(raw);
    if (raw.t === 'gerbang:hosts') first?.();
  });
  // A signal to the whole process group reaches the workers too: they keep serving through the shutdown grace,
  // as the primary does, and drain after it (or when the primary says so, whichever comes first).
  const drainAfterGrace = (): void => {
    setTimeout(() => void drain(), config.limits.shutdownGraceMs);
  };
  process.once('SIGTERM', drainAfterGrace);
  process.once('SIGINT', drainAfterGrace);
  // A worker whose primary died must not linger holding the ports.
  process.on('disconnect', () => void drain());
  send({ t: 'gerbang:hello' });
  await firstHosts;

  await listenOn(publicApp, 'http', config.http);
  await listenOn(httpsApp, 'https', config.https);
  policy.setOwnListeners([
    { host: config.http.host, port: portOf(publicApp) },
    { host: config.https.host, port: portOf(httpsApp) },
    { host: config.admin.host, port: config.admin.port },
  ]);
  send({ t: 'gerbang:ready', http: portOf(publicApp), https: portOf(httpsApp) });
}
