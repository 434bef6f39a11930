/** The ACME account key, shared by every instance through the store (namespace `meta`): made once, under a lock. */
import { setTimeout as sleep } from 'node:timers/promises';
import * as acme from 'acme-client';
import type { Store } from '../../store/store.js';

const ACCOUNT_KEY_ID = 'acme-account-key';
const LOCK_TTL_MS = 30_000;
const WAIT_ROUNDS = 60;
const WAIT_MS = 500;

/** The stored account key PEM, creating it when none exists; concurrent instances end up with the same key. */
export async function loadOrCreateAccountKey(store: Store): Promise<string> {
  for (let round = 0; round < WAIT_ROUNDS; round++) {
    const existing = await store.get('meta', ACCOUNT_KEY_ID);
    if (existing) return existing;
    const lock = await store.tryLock('acme-account', LOCK_TTL_MS);
    if (lock) {
      try {
        const again = await store.get('meta', ACCOUNT_KEY_ID);
        if (again) return again;
        const key = (await acme.crypto.createPrivateEcdsaKey()).toString();
        await store.put('meta', ACCOUNT_KEY_ID, key);
        return key;
      } finally {
        await lock.release();
      }
    }
    await sleep(WAIT_MS);
  }
  throw new Error('ACME account key: another instance holds the account lock too long');
}
