/** The mark a Gerbang leaves in a shared store it has seen with data: a store without it and without our hosts was flushed or replaced, not emptied by deletions. */
import type { Store } from './store.js';

/** Id in the `meta` namespace. A flush or a fresh server loses it with everything else; deletions never touch it. */
export const STORE_MARKER_ID = 'store-marker';

export async function hasStoreMarker(store: Store): Promise<boolean> {
  return (await store.get('meta', STORE_MARKER_ID)) !== undefined;
}

/** `why`: what vouched for the store's contents (data seen, an admin's confirmation or restore). */
export async function writeStoreMarker(store: Store, why: string): Promise<void> {
  await store.put('meta', STORE_MARKER_ID, JSON.stringify({ at: new Date().toISOString(), why }));
}
