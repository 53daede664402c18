/**
 * Time, as the core needs it: the current time and a repeating timer. The core
 * never calls Date.now() or setInterval itself, so tests can drive time by hand.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `tick` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, tick: () => void): () => void;
}
