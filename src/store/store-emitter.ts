/** Typed event fan-out for both stores, isolating listeners so one that throws cannot break a write or the change feed. */
import type { Logger } from '../observability/logger.js';
import type { StoreEvents } from './store.js';

type Listeners = { [E in keyof StoreEvents]: Set<StoreEvents[E]> };

export class StoreEmitter {
  readonly #logger: Logger;
  readonly #listeners: Listeners = { change: new Set(), resync: new Set(), state: new Set() };

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.#set(event).add(listener);
  }

  off<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.#set(event).delete(listener);
  }

  emit<E extends keyof StoreEvents>(event: E, ...args: Parameters<StoreEvents[E]>): void {
    // Copy first: a listener may unsubscribe itself while we iterate.
    for (const listener of [...this.#set(event)]) {
      try {
        (listener as (...a: Parameters<StoreEvents[E]>) => void)(...args);
      } catch (err) {
        this.#logger.error({ err, event }, 'store event listener threw');
      }
    }
  }

  #set<E extends keyof StoreEvents>(event: E): Set<StoreEvents[E]> {
    return this.#listeners[event] as Set<StoreEvents[E]>;
  }
}
