/** Collapses concurrent misses for one key: the first request goes to the backend, the others wait for it to settle. */

export interface Flight {
  /** Called once the leader's response is stored, or known not to be: the waiters look again. */
  settle(): void;
}

interface FlightState extends Flight {
  readonly done: Promise<void>;
}

export class Coalescer {
  readonly #flights = new Map<string, FlightState>();

  /** A new flight for `key`, or undefined when one is already under way. */
  begin(key: string): Flight | undefined {
    if (this.#flights.has(key)) return undefined;
    let resolve!: () => void;
    const done = new Promise<void>((r) => {
      resolve = r;
    });
    let settled = false;
    const flight: FlightState = {
      done,
      settle: () => {
        if (settled) return;
        settled = true;
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
        resolve();
      },
    };
    this.#flights.set(key, flight);
    return flight;
  }

  /** Resolves when the flight for `key` settles or after `timeoutMs`; undefined when there is no flight. */
  wait(key: string, timeoutMs: number): Promise<void> | undefined {
    const flight = this.#flights.get(key);
    if (flight === undefined) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void flight.done.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  get size(): number {
    return this.#flights.size;
  }
}
