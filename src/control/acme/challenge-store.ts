/** HTTP-01 tokens in the store (namespace `challenges`), so whichever instance the CA reaches answers; a local mirror from the change feed answers without I/O. */
import type { Logger } from '../../observability/logger.js';
import type { Change, Store } from '../../store/store.js';

/** ACME tokens are base64url (RFC 8555 §8.1); anything else is answered 404 without touching the store. */
const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

export class ChallengeStore {
  private readonly mirror = new Map<string, string>();
  private readonly onChangeBound = (change: Change): void => void this.onChange(change);

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.store.on('change', this.onChangeBound);
  }

  stop(): void {
    this.store.off('change', this.onChangeBound);
  }

  async put(token: string, keyAuthorization: string): Promise<void> {
    await this.store.put('challenges', token, keyAuthorization);
    this.mirror.set(token, keyAuthorization);
  }

  async clear(token: string): Promise<void> {
    this.mirror.delete(token);
    await this.store.delete('challenges', token);
  }

  /** The key authorization for `token`: from the mirror, else one store read (challenges are rare; the feed may lag). */
  async answer(token: string): Promise<string | undefined> {
    if (!TOKEN.test(token)) return undefined;
    const known = this.mirror.get(token);
    if (known !== undefined) return known;
    try {
      return await this.store.get('challenges', token);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'challenge lookup failed');
      return undefined;
    }
  }

  private async onChange(change: Change): Promise<void> {
    if (change.ns !== 'challenges') return;
    if (change.op === 'delete') {
      this.mirror.delete(change.id);
      return;
    }
    try {
      const value = await this.store.get('challenges', change.id);
      if (value === undefined) this.mirror.delete(change.id);
      else this.mirror.set(change.id, value);
    } catch {
      // answer() falls back to the store.
    }
  }
}
