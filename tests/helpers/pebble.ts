/** Starts Debian's pebble (a real ACME CA) and pebble-challtestsrv (its DNS) on free loopback ports, trusted by acme-client in this process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as acme from 'acme-client';
import { freePort } from './free-port.js';
import { createTestCa } from './test-ca.js';

const START_TIMEOUT_MS = 15_000;

export interface PebbleOptions {
  /** Where pebble's VA sends HTTP-01 requests: the gateway's HTTP port. */
  httpPort: number;
  /** Where it would send TLS-ALPN-01: the gateway's HTTPS port. */
  tlsPort: number;
  /** Issued certificates' lifetime in seconds (pebble's default is years). */
  validitySeconds?: number;
  /** Percentage of valid nonces pebble rejects with badNonce (default 0). */
  nonceRejectPercent?: number;
  /** Listen on this ACME port (the gateway may be configured with the directory URL before pebble starts). */
  port?: number;
}

export interface Pebble {
  readonly directoryUrl: string;
  /** pebble-challtestsrv's management API (plain HTTP): /set-txt, /clear-txt. */
  readonly challtestsrvUrl: string;
  /** PEM of the root that signs issued certificates (GET /roots/0 on pebble's management port). */
  issuingRoot(): Promise<string>;
  /** Stops pebble only (the CA goes down); challtestsrv stays. */
  stopCa(): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function launch(binary: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  (child as ChildProcess & { output: () => string }).output = () => output;
  return child;
}

async function halt(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function get(url: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { agent, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(what: string, child: ChildProcess, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `${what} exited at start:\n${(child as ChildProcess & { output: () => string }).output()}`,
      );
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not answer within ${START_TIMEOUT_MS} ms`);
    await sleep(50);
  }
}

export async function startPebble(options: PebbleOptions): Promise<Pebble> {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-pebble-'));
  // Pebble's own HTTPS listener needs a certificate; the package ships none.
  const ca = await createTestCa('Pebble Listener Test Root');
  const listener = await ca.issue(['localhost'], { ips: ['127.0.0.1'] });
  await writeFile(join(dir, 'cert.pem'), listener.certificate);
  await writeFile(join(dir, 'key.pem'), listener.key, { mode: 0o600 });
  const agent = new Agent({ ca: ca.certificate, keepAlive: false });
  // acme-client talks through its own axios instance: it must trust this listener, and give up fast when it is down.
  const axiosDefaults = acme.axios.defaults as typeof acme.axios.defaults & {
    acmeSettings: { retryMaxAttempts: number; retryDefaultDelay: number };
  };
  axiosDefaults.httpsAgent = agent;
  axiosDefaults.acmeSettings.retryMaxAttempts = 1;
  axiosDefaults.acmeSettings.retryDefaultDelay = 1;

  const [acmePort, mgmtPort, dnsPort, challMgmtPort] = [
    options.port ?? (await freePort()),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${acmePort}`,
      managementListenAddress: `127.0.0.1:${mgmtPort}`,
      certificate: join(dir, 'cert.pem'),
      privateKey: join(dir, 'key.pem'),
      httpPort: options.httpPort,
      tlsPort: options.tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
      ...(options.validitySeconds ? { certificateValidityPeriod: options.validitySeconds } : {}),
    },
  };
  await writeFile(join(dir, 'pebble.json'), JSON.stringify(config));

  const challtestsrv = launch('pebble-challtestsrv', [
    '-defaultIPv4',
    '127.0.0.1',
    '-defaultIPv6',
    '',
    '-http01',
    '',
    '-https01',
    '',
    '-tlsalpn01',
    '',
    '-dns01',
    `127.0.0.1:${dnsPort}`,
    '-management',
    `127.0.0.1:${challMgmtPort}`,
  ]);
  const challtestsrvUrl = `http://127.0.0.1:${challMgmtPort}`;
  const directoryUrl = `https://127.0.0.1:${acmePort}/dir`;
  let pebble: ChildProcess | undefined;
  try {
    await waitFor('pebble-challtestsrv', challtestsrv, async () => {
      const res = await fetch(`${challtestsrvUrl}/clear-txt`, {
        method: 'POST',
        body: JSON.stringify({ host: 'probe.invalid.' }),
      });
      return res.status === 200;
    });
    pebble = launch('pebble', ['-config', join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`], {
      PEBBLE_VA_NOSLEEP: '1',
      PEBBLE_WFE_NONCEREJECT: String(options.nonceRejectPercent ?? 0),
      PEBBLE_AUTHZREUSE: '0',
    });
    const started = pebble;
    await waitFor('pebble', started, async () => (await get(directoryUrl, agent)).status === 200);
  } catch (err) {
    await Promise.all([halt(challtestsrv), pebble ? halt(pebble) : undefined]);
    agent.destroy();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const ca_ = pebble;

  return {
    directoryUrl,
    challtestsrvUrl,
    async issuingRoot() {
      const res = await get(`https://127.0.0.1:${mgmtPort}/roots/0`, agent);
      if (res.status !== 200) throw new Error(`pebble /roots/0 answered ${res.status}`);
      return res.body;
    },
    stopCa: () => halt(ca_),
    async stop() {
      await Promise.all([halt(ca_), halt(challtestsrv)]);
      agent.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
