/** The cluster primary: the control plane (store, admin API, ACME, health checks, metrics) and the keeper of its data-plane workers. */
import cluster, { type Worker } from 'node:cluster';
import { performance } from 'node:perf_hooks';
import { AggregatorRegistry } from 'prom-client';
import type { GatewayConfig } from '../config/schema.js';
import { isDefacementFinding } from '../data/defacement/finding.js';
import type { SourcedHost } from '../data/routing/compile-snapshot.js';
import type { TicketKeySet } from '../data/tls/ticket-key-ring.js';
import { type Gateway, startGateway } from '../gateway.js';
import type { HostDoc } from '../model/host-schema.js';
import type { Logger } from '../observability/logger.js';
import {
  isMessage,
  type MetricsJson,
  type PrimaryMessage,
  type Verdict,
  type WorkerMessage,
} from './messages.js';

/** A worker that does not answer a metrics request within this is left out of that scrape. */
const METRICS_TIMEOUT_MS = 1_000;
/** A worker that keeps dying is restarted no faster than this. */
const RESTART_DELAY_MS = 500;
/** After the drain deadline, workers get this long to exit before they are killed. */
const EXIT_GRACE_MS = 2_000;

export interface ClusterPrimary {
  readonly gateway: Gateway;
  reload(): Promise<void>;
  stop(): Promise<void>;
}

export async function runClusterPrimary(config: GatewayConfig, logger: Logger): Promise<ClusterPrimary> {
  const workers = new Set<Worker>();
  let stopping = false;
  let nextRequest = 0;
  const pendingMetrics = new Map<number, (json: MetricsJson | undefined) => void>();

  const askMetrics = (worker: Worker): Promise<MetricsJson | undefined> =>
    new Promise((resolve) => {
      const id = ++nextRequest;
      const timer = setTimeout(() => {
        pendingMetrics.delete(id);
        resolve(undefined);
      }, METRICS_TIMEOUT_MS);
      pendingMetrics.set(id, (json) => {
        clearTimeout(timer);
        pendingMetrics.delete(id);
        resolve(json);
      });
      send(worker, { t: 'gerbang:metrics', id });
    });

  let gatewayRef: Gateway | undefined;
  // Workers that told they listen; /readyz answers 200 once all of them have.
  let ready = 0;
  let announced = false;
  const gateway = await startGateway(config, logger, {
    publicListeners: false,
    // One scrape sums every worker's series with the primary's own (prom-client's cluster aggregation).
    metricsText: async () => {
      const own = (await (gatewayRef as Gateway).metrics.registry.getMetricsAsJSON()) as MetricsJson;
      const theirs = await Promise.all([...workers].map(askMetrics));
      const all = [own, ...theirs.filter((m): m is MetricsJson => m !== undefined)];
      return AggregatorRegistry.aggregate(all as never).metrics();
    },
    onPurge: (host, prefix) => broadcast({ t: 'gerbang:purge', host, prefix }),
    // Not ready until every worker listens: a load balancer must not send traffic to a port nobody serves.
    dataPlaneReady: () => announced,
    // After the shutdown grace (workers serve through it): every worker drains and exits, or is killed.
    drainDataPlane: async () => {
      const exits = [...workers].map(
        (worker) =>
          new Promise<void>((resolve) =>
            worker.isDead() ? resolve() : worker.once('exit', () => resolve()),
          ),
      );
      broadcast({ t: 'gerbang:drain' });
      const kill = setTimeout(() => {
        for (const worker of workers) worker.process.kill('SIGKILL');
      }, config.limits.drainTimeoutMs + EXIT_GRACE_MS);
      kill.unref();
      await Promise.all(exits);
      clearTimeout(kill);
    },
  });
  gatewayRef = gateway;

  function send(worker: Worker, message: PrimaryMessage): void {
    if (worker.isConnected()) worker.send(message);
  }
  function broadcast(message: PrimaryMessage): void {
    for (const worker of workers) send(worker, message);
  }

  const agencyNames = (docs: Iterable<HostDoc>): Record<string, string> => {
    const names: Record<string, string> = {};
    for (const doc of docs) {
      if (doc.agency === undefined || names[doc.agency] !== undefined) continue;
      const name = gateway.agencyName(doc.agency);
      if (name !== undefined) names[doc.agency] = name;
    }
    return names;
  };
  const verdicts = (): Verdict[] =>
    [...gateway.states.values()]
      .filter((s) => !s.activeUp)
      .map((s) => ({ origin: s.origin, up: false, reason: s.activeReason }));
  const certs = () =>
    gateway.certificates.mirror.list().map((r) => ({ host: r.host, certificate: r.certificate, key: r.key }));

  // Deltas by document identity: the publisher replaces a doc object whenever its host changes.
  let sent = new Map<string, SourcedHost>();
  const hostsMessage = (full: boolean): PrimaryMessage => {
    const current = new Map<string, SourcedHost>();
    for (const entry of gateway.publisher.list()) current.set(entry.doc.host, entry);
    const upsert: SourcedHost[] = [];
    const remove: string[] = [];
    for (const [name, entry] of current) {
      const before = sent.get(name);
      if (full || before === undefined || before.doc !== entry.doc || before.source !== entry.source)
        upsert.push(entry);
    }
    if (!full) for (const name of sent.keys()) if (!current.has(name)) remove.push(name);
    sent = current;
    return {
      t: 'gerbang:hosts',
      version: gateway.holder.current.version,
      full,
      upsert,
      remove,
      agencies: agencyNames([...current.values()].map((e) => e.doc)),
    };
  };
  const ticketKeysMessage = (keys: TicketKeySet): PrimaryMessage => ({
    t: 'gerbang:ticket-keys',
    current: keys.current.toString('base64'),
    previous: keys.previous?.toString('base64') ?? null,
  });
  gateway.ticketKeys.onKeys((keys) => broadcast(ticketKeysMessage(keys)));
  const fullState = (worker: Worker): void => {
    // Before the hosts: the worker listens once it has them, and its first tickets are then under the shared key.
    const keys = gateway.ticketKeys.keys;
    if (keys !== undefined) send(worker, ticketKeysMessage(keys));
    const hosts = hostsMessage(true);
    send(worker, hosts);
    send(worker, { t: 'gerbang:health', verdicts: verdicts() });
    send(worker, { t: 'gerbang:certs', certs: certs() });
    send(worker, { t: 'gerbang:inventory', moving: gateway.inventory.moving() });
    send(worker, { t: 'gerbang:uptime', summaries: gateway.uptimeSummaries.all() });
    for (const source of gateway.policy.infrastructureSources())
      send(worker, { t: 'gerbang:infrastructure', source });
  };
  gateway.policy.onInfrastructure((source) => broadcast({ t: 'gerbang:infrastructure', source }));

  gateway.inventory.onChange(() => broadcast({ t: 'gerbang:inventory', moving: gateway.inventory.moving() }));
  gateway.uptimeSummaries.onChange(() =>
    broadcast({ t: 'gerbang:uptime', summaries: gateway.uptimeSummaries.all() }),
  );
  gateway.holder.onSwap(() => {
    if (workers.size > 0) broadcast(hostsMessage(false));
  });
  // Active verdicts change here (the checker runs on the primary); the workers route by them.
  gateway.states.events.onChange = (state) =>
    broadcast({
      t: 'gerbang:health',
      verdicts: [{ origin: state.origin, up: state.activeUp, reason: state.activeReason }],
    });
  let certsScheduled = false;
  gateway.certificates.mirror.onUpdate(() => {
    if (certsScheduled) return;
    certsScheduled = true;
    setImmediate(() => {
      certsScheduled = false;
      broadcast({ t: 'gerbang:certs', certs: certs() });
    });
  });

  let resolveReady: (() => void) | undefined;
  const allReady = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const fork = (): void => {
    const worker = cluster.fork({ GERBANG_CLUSTER_ROLE: 'worker' });
    workers.add(worker);
    worker.on('message', (raw: unknown) => {
      if (!isMessage<WorkerMessage>(raw)) return;
      switch (raw.t) {
        case 'gerbang:hello':
          // Full state now; changes since are broadcast to it like to every other worker.
          fullState(worker);
          return;
        case 'gerbang:ready':
          ready++;
          if (!announced && ready >= config.workers) {
            announced = true;
            logger.info(
              {
                http: raw.http,
                https: raw.https,
                admin: gateway.ports.admin,
                workers: config.workers,
                store: gateway.store.kind,
                hosts: gateway.publisher.list().length,
              },
              'gerbang listening',
            );
            resolveReady?.();
          }
          return;
        case 'gerbang:challenge':
          void gateway.certificates.challenges.answer(raw.token).then(
            (value) => send(worker, { t: 'gerbang:challenge-answer', id: raw.id, value: value ?? null }),
            () => send(worker, { t: 'gerbang:challenge-answer', id: raw.id, value: null }),
          );
          return;
        case 'gerbang:target':
          gateway.states.peek(raw.report.origin)?.adopt(raw.report, performance.now());
          return;
        case 'gerbang:metrics-reply':
          pendingMetrics.get(raw.id)?.(raw.metrics);
          return;
        case 'gerbang:usage':
          if (Array.isArray(raw.deltas)) gateway.metrics.usage.giveBack(raw.deltas);
          return;
        case 'gerbang:defacement':
          if (isDefacementFinding(raw.finding)) void gateway.defacement.record(raw.finding);
          return;
        case 'gerbang:applied':
          return;
      }
    });
    worker.on('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) return;
      logger.error({ worker: worker.id, code, signal }, 'worker died; starting a new one');
      setTimeout(() => {
        if (!stopping) fork();
      }, RESTART_DELAY_MS).unref();
    });
  };

  for (let i = 0; i < config.workers; i++) fork();
  await allReady;

  let stopped: Promise<void> | undefined;
  return {
    gateway,
    reload: () => gateway.reload(),
    stop() {
      stopped ??= (async () => {
        // From now on a worker that exits is not replaced; /readyz says not ready while they still serve.
        stopping = true;
        await gateway.stop();
      })();
      return stopped;
    },
  };
}
