/** TLS session ticket keys of an HTTPS listener: new tickets under the current key, tickets under the previous one still accepted (and renewed). */
import { randomBytes } from 'node:crypto';
import type { Server as TlsServer } from 'node:tls';

/** The 48 bytes Node's `ticketKeys` takes: key name (16), HMAC secret (16), AES-128 key (16). */
export const TICKET_KEY_BYTES = 48;
const PART = 16;
/** The session id context every Gerbang listener states: a session resumes on any of them (up to 32 bytes). */
export const TLS_SESSION_ID_CONTEXT = 'gerbang-https';

/** The keys every worker and instance share (control/ticket-keys.ts keeps them in the store). */
export interface TicketKeySet {
  current: Buffer;
  /** The key before the last rotation: its tickets still resume once, and get a ticket under `current`. */
  previous: Buffer | undefined;
}

interface KeyParts {
  name: Buffer;
  hmac: Buffer;
  aes: Buffer;
}

function partsOf(key: Buffer): KeyParts {
  return { name: key.subarray(0, PART), hmac: key.subarray(PART, 2 * PART), aes: key.subarray(2 * PART) };
}

/**
 * What Node's native SecureContext calls for every ticket when `enableTicketKeyCallback()` is on (crypto_context.cc,
 * TicketKeyCallback): `[result, hmac, aes]` to decrypt, plus `[.., name, iv]` to encrypt. Results are OpenSSL's: 1
 * use, 2 use and issue a new ticket, 0 unknown key (full handshake).
 */
type TicketKeyCallback = (
  name: Buffer,
  iv: Buffer,
  encrypt: boolean,
) => [number, Buffer, Buffer, Buffer?, Buffer?];

interface NativeContext {
  enableTicketKeyCallback?: () => void;
  onticketkeycallback?: TicketKeyCallback;
}

const UNKNOWN: [number, Buffer, Buffer] = [0, Buffer.alloc(PART), Buffer.alloc(PART)];

/**
 * Node's public API holds one ticket key per server (`setTicketKeys`): a rotation would throw away every ticket
 * issued a moment before it. The native context also takes a per-ticket callback, which is what lets the previous
 * key decrypt during a rotation. It is an internal of Node (tested in tests/tls on the pinned runtime); where it is
 * missing, the ring falls back to `setTicketKeys(current)`: resumption still works across workers and instances,
 * only tickets from before a rotation then cost one full handshake.
 */
export class TicketKeyRing {
  #current: KeyParts;
  #previous: KeyParts | undefined;
  #current48: Buffer;
  readonly #fallbacks: TlsServer[] = [];

  /** Until the shared keys arrive, a key of this process alone (what Node would pick itself). */
  constructor(keys: TicketKeySet = { current: randomBytes(TICKET_KEY_BYTES), previous: undefined }) {
    this.#current48 = keys.current;
    this.#current = partsOf(keys.current);
    this.#previous = keys.previous === undefined ? undefined : partsOf(keys.previous);
  }

  /** Takes effect on the next handshake of every listener the ring is installed on. */
  set(keys: TicketKeySet): void {
    if (
      keys.current.length !== TICKET_KEY_BYTES ||
      (keys.previous && keys.previous.length !== TICKET_KEY_BYTES)
    )
      throw new RangeError(`session ticket keys are ${TICKET_KEY_BYTES} bytes`);
    this.#current48 = keys.current;
    this.#current = partsOf(keys.current);
    this.#previous = keys.previous === undefined ? undefined : partsOf(keys.previous);
    for (const server of this.#fallbacks) server.setTicketKeys(keys.current);
  }

  /** Lets `server` issue and accept tickets under this ring's keys; false when only the fallback was possible. */
  install(server: TlsServer): boolean {
    const context = (server as unknown as { _sharedCreds?: { context?: NativeContext } })._sharedCreds
      ?.context;
    if (context !== undefined && typeof context.enableTicketKeyCallback === 'function') {
      context.onticketkeycallback = this.#callback;
      context.enableTicketKeyCallback();
      return true;
    }
    this.#fallbacks.push(server);
    server.setTicketKeys(this.#current48);
    return false;
  }

  readonly #callback: TicketKeyCallback = (name, _iv, encrypt) => {
    const current = this.#current;
    if (encrypt) return [1, current.hmac, current.aes, current.name, randomBytes(PART)];
    if (name.equals(current.name)) return [1, current.hmac, current.aes];
    const previous = this.#previous;
    if (previous !== undefined && name.equals(previous.name)) return [2, previous.hmac, previous.aes];
    return UNKNOWN;
  };
}
