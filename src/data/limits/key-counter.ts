/** Counts what each key holds now (connections, requests in flight) under a cap; a key leaves the map at zero, so memory follows what is open, not who ever came. */

export class KeyCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes one slot for `key`; false (and nothing taken) when the key is at its cap. */
  tryAcquire(key: string): boolean {
    const held = this.counts.get(key) ?? 0;
    if (held >= this.max) return false;
    this.counts.set(key, held + 1);
    return true;
  }

  release(key: string): void {
    const held = this.counts.get(key);
    if (held === undefined) return;
    if (held <= 1) this.counts.delete(key);
    else this.counts.set(key, held - 1);
  }

  held(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Keys holding at least one slot. */
  get size(): number {
    return this.counts.size;
  }
}
