/** Scale with routes: how long a host written through the admin API takes to be routed by the data plane. */
import { request } from 'node:http';
import {
  BENCH_HOST,
  BODY_BYTES,
  PROPAGATION_CONFIRMATIONS,
  PROPAGATION_POLL_MS,
  PROPAGATION_SAMPLES,
  PROPAGATION_TIMEOUT_MS,
} from './defaults.js';
import { probe } from './processes.js';

export interface PropagationTarget {
  adminUrl: string;
  adminToken: string;
  /** The public listener's URL. */
  publicUrl: string;
  backendUrl: string;
}

export interface PropagationResult {
  /** Milliseconds from sending the PUT to the public port routing the host, one per sample. */
  samplesMs: number[];
  medianMs: number;
  maxMs: number;
  /** Of which the PUT itself (admin API answered: stored and published). */
  putMedianMs: number;
}

function put(url: string, token: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = request(
      url,
      {
        method: 'PUT',
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': String(data.length),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (s: string) => {
          text += s;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new Error(`PUT ${url} answered ${status}: ${text.slice(0, 300)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const routed = async (url: string, host: string): Promise<boolean> => {
  try {
    const answer = await probe(url, { Host: host });
    return answer.status === 200 && answer.bytes === BODY_BYTES;
  } catch {
    return false;
  }
};

/**
 * PUTs new hosts one after the other and polls the public port (a fresh connection per poll, so a
 * cluster's round robin visits every worker) until `confirmations` polls in a row route it.
 */
export async function measurePropagation(
  target: PropagationTarget,
  confirmations = PROPAGATION_CONFIRMATIONS,
): Promise<PropagationResult> {
  const samplesMs: number[] = [];
  const putMs: number[] = [];
  const run = Date.now().toString(36);
  for (let i = 0; i < PROPAGATION_SAMPLES; i++) {
    const host = `prop-${run}-${i}.${BENCH_HOST}`;
    if (await routed(target.publicUrl, host)) throw new Error(`${host} is routed before it was added`);
    const started = performance.now();
    await put(`${target.adminUrl}/v1/hosts/${host}`, target.adminToken, {
      routes: [{ path: '/', targets: [target.backendUrl] }],
    });
    putMs.push(performance.now() - started);
    let inARow = 0;
    let firstOk = 0;
    while (inARow < confirmations) {
      if (performance.now() - started > PROPAGATION_TIMEOUT_MS)
        throw new Error(`${host} not routed ${PROPAGATION_TIMEOUT_MS} ms after its PUT`);
      if (await routed(target.publicUrl, host)) {
        if (inARow++ === 0) firstOk = performance.now();
      } else {
        inARow = 0;
        await new Promise((r) => setTimeout(r, PROPAGATION_POLL_MS));
      }
    }
    // The time the first of the confirming polls was answered: from then on every poll routed it.
    samplesMs.push(Math.round((firstOk - started) * 10) / 10);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sortedPut = [...putMs].sort((a, b) => a - b);
  return {
    samplesMs,
    medianMs: sorted[sorted.length >> 1]!,
    maxMs: sorted[sorted.length - 1]!,
    putMedianMs: Math.round(sortedPut[sortedPut.length >> 1]! * 10) / 10,
  };
}
