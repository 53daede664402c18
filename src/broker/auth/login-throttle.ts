/**
 * Failed logins per peer address: after `limit` failures within a minute, every
 * login from that address is refused unchecked until the minute is over, so a
 * password cannot be guessed at network speed. Shared by AMQP and HTTP. Memory
 * is bounded: expired entries go first, and past MAX_PEERS the oldest go.
 */
export const LOGIN_FAILURE_WINDOW_MS = 60_000;
const MAX_PEERS = 10_000;

interface Failures {
  count: number;
  since: number;
}

export class LoginThrottle {
  private readonly peers = new Map<string, Failures>();

  /** `limit` 0 turns throttling off. `now` is the clock (tests drive it). */
  constructor(private readonly limit: number, private readonly now: () => number = Date.now) {}

  /** Milliseconds until the peer may try again, or 0 when it may now. */
  blockedFor(peer: string): number {
    const entry = this.current(peer);
    if (!entry || this.limit === 0 || entry.count < this.limit) return 0;
    return entry.since + LOGIN_FAILURE_WINDOW_MS - this.now();
  }

  failed(peer: string): void {
    if (this.limit === 0) return;
    const entry = this.current(peer);
    if (entry) {
      entry.count++;
      return;
    }
    if (this.peers.size >= MAX_PEERS) this.evict();
    this.peers.set(peer, { count: 1, since: this.now() });
  }

  private current(peer: string): Failures | undefined {
    const entry = this.peers.get(peer);
    if (entry && this.now() - entry.since >= LOGIN_FAILURE_WINDOW_MS) {
      this.peers.delete(peer);
      return undefined;
    }
    return entry;
  }

  private evict(): void {
    const now = this.now();
    for (const [peer, entry] of this.peers) if (now - entry.since >= LOGIN_FAILURE_WINDOW_MS) this.peers.delete(peer);
    // Map keeps insertion order: the first entries are the oldest windows.
    for (const peer of this.peers.keys()) {
      if (this.peers.size < MAX_PEERS) break;
      this.peers.delete(peer);
    }
  }
}
