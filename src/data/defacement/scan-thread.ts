/** The defacement checks' own thread: pages come in as bytes, the matched rules go back; the event loop of the requests never runs a rule. */
import { parentPort, workerData } from 'node:worker_threads';
import type { DefacementRuleConfig } from '../../config/defacement-config.js';
import { BUILTIN_RULES } from './builtin-rules.js';
import { compileConfigRule } from './config-rules.js';
import { decodePage, type PageCoding } from './decode-page.js';
import { scanPage } from './scan-page.js';

export interface ScanRequest {
  id: number;
  host: string;
  body: Uint8Array;
  /** Set when the backend compressed the page: `body` is the beginning of the compressed bytes. */
  coding?: PageCoding;
  /** The most decoded bytes checked. */
  maxBytes: number;
}

export interface ScanReply {
  id: number;
  matches: Array<{ rule: string; evidence: string }>;
  /** Bytes of HTML checked (decoded, for a compressed page). */
  bytes: number;
  error?: string;
}

const rules = [
  ...BUILTIN_RULES,
  ...(workerData as { rules: DefacementRuleConfig[] }).rules.map(compileConfigRule),
];

async function check(request: ScanRequest): Promise<ScanReply> {
  try {
    const raw = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const body = request.coding === undefined ? raw : await decodePage(raw, request.coding, request.maxBytes);
    return { id: request.id, matches: scanPage(body, request.host, rules), bytes: body.length };
  } catch (err) {
    return { id: request.id, matches: [], bytes: 0, error: (err as Error).message };
  }
}

parentPort?.on('message', (request: ScanRequest) => {
  void check(request).then((reply) => parentPort?.postMessage(reply));
});
