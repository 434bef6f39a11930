/** The per-worker memory tier: an LRU bounded by bytes, holding up to a few Vary variants per URL. */
import { LRUCache } from 'lru-cache';
import { DEFAULT_CACHE_MAX_VARIANTS } from '../../config/defaults.js';
import type { CacheEntry } from './cache-entry.js';

export interface MemoryTierOptions {
  maxBytes: number;
  onEvict: () => void;
}

function sizeOf(variants: CacheEntry[]): number {
  let size = 0;
  // Compressed variants made from an entry's body count with it (compression/stored-variants.ts).
  for (const v of variants) size += v.size + (v.encoded?.bytes ?? 0);
  return Math.max(1, size);
}

/** Same Vary field names and values: the new response replaces that variant. */
function sameVariant(a: CacheEntry, b: CacheEntry): boolean {
  if (a.varyNames.length !== b.varyNames.length) return false;
  for (let i = 0; i < a.varyNames.length; i++) {
    if (a.varyNames[i] !== b.varyNames[i] || a.varyValues[i] !== b.varyValues[i]) return false;
  }
  return true;
}

export class MemoryTier {
  readonly #lru: LRUCache<string, CacheEntry[]>;

  constructor(options: MemoryTierOptions) {
    this.#lru = new LRUCache<string, CacheEntry[]>({
      maxSize: Math.max(1, options.maxBytes),
      sizeCalculation: sizeOf,
      maxEntrySize: Math.max(1, options.maxBytes),
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') options.onEvict();
      },
    });
  }

  get(key: string): CacheEntry[] | undefined {
    return this.#lru.get(key);
  }

  put(entry: CacheEntry): void {
    const current = this.#lru.get(entry.key, { updateAgeOnGet: false });
    const variants: CacheEntry[] = [entry];
    if (current !== undefined) {
      for (const v of current) {
        if (variants.length >= DEFAULT_CACHE_MAX_VARIANTS) break;
        if (!sameVariant(v, entry)) variants.push(v);
      }
    }
    this.#lru.set(entry.key, variants);
  }

  /** Re-accounts an entry that changed in place (headers after a 304, a compressed variant added). */
  touch(key: string): void {
    const current = this.#lru.peek(key);
    // A copy: lru-cache re-computes the size only when the value it is given is another object.
    if (current !== undefined) this.#lru.set(key, current.slice(), { noUpdateTTL: true });
  }

  delete(key: string): boolean {
    return this.#lru.delete(key);
  }

  /** Removes every URL for which `match` is true; returns how many went. */
  deleteWhere(match: (entry: CacheEntry) => boolean): number {
    const doomed: string[] = [];
    for (const [key, variants] of this.#lru.entries()) {
      const first = variants[0];
      if (first !== undefined && match(first)) doomed.push(key);
    }
    let removed = 0;
    for (const key of doomed) if (this.#lru.delete(key)) removed++;
    return removed;
  }

  clear(): void {
    this.#lru.clear();
  }

  get bytes(): number {
    return this.#lru.calculatedSize;
  }

  get entries(): number {
    return this.#lru.size;
  }
}
