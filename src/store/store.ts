/** The Storage interface both stores implement (after certmagic's Storage + Locker): namespaced JSON values, a change feed, named locks. */

/** Namespaces of the store; one key builder (`storeKey`) lays them out for every implementation. */
export type Namespace =
  | 'hosts'
  | 'agencies'
  | 'tokens'
  | 'certs'
  | 'challenges'
  | 'audit'
  | 'meta'
  /** Konsol accounts and their sessions (src/control/users, src/control/konsol). */
  | 'users'
  | 'sessions'
  /** Every agency's services, behind Gerbang or not yet (src/control/inventory). */
  | 'inventory'
  /** Kept uptime per host (src/control/uptime). */
  | 'uptime'
  /** Each host's latest defacement findings (src/control/defacement). */
  | 'defacement'
  /** The embedded store's integer counters (addCounters); Redis keeps them in hashes of their own. */
  | 'counters';

export interface Change {
  ns: Namespace;
  id: string;
  op: 'put' | 'delete';
}

export type StoreState = 'connected' | 'disconnected';

export interface StoreEvents {
  /** One entry changed (here or on another instance). */
  change(change: Change): void;
  /** Everything may have changed (reconnect, periodic resync): re-read whole namespaces. */
  resync(): void;
  state(state: StoreState): void;
}

export interface Lock {
  /** Fencing token: grows with every acquisition of the same name. */
  readonly fence: number;
  release(): Promise<void>;
}

export interface Store {
  readonly kind: 'embedded' | 'redis';
  readonly state: StoreState;
  start(): Promise<void>;
  close(): Promise<void>;
  get(ns: Namespace, id: string): Promise<string | undefined>;
  /** Every raw value of a namespace: the full-resync read. */
  getAll(ns: Namespace): Promise<Map<string, string>>;
  /** Writes one value and announces it on the change feed, atomically. */
  put(ns: Namespace, id: string, value: string): Promise<void>;
  delete(ns: Namespace, id: string): Promise<boolean>;
  /**
   * Adds integer deltas to the counters of one record of a group, atomically (Redis: HINCRBY in one MULTI), so the
   * deltas of several instances and workers sum without double counting. Not announced on the change feed.
   */
  addCounters(group: string, record: string, deltas: Readonly<Record<string, number>>): Promise<void>;
  /** Every record of a group with its counters; a group never written is empty. */
  readCounters(group: string): Promise<Map<string, Record<string, number>>>;
  /** Removes a whole group of counters (retention); true when there was one. */
  deleteCounters(group: string): Promise<boolean>;
  /** Named lock with expiry; undefined when someone else holds it. */
  tryLock(name: string, ttlMs: number): Promise<Lock | undefined>;
  on<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void;
  off<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void;
}

/** The key layout, shared by every store so that a dump of one reads like the other. */
export function storeKey(prefix: string, ns: Namespace): string {
  return `${prefix}${ns}`;
}
