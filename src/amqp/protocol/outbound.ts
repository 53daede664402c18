/**
 * What the protocol state machines need from the transport, so that they never
 * touch a socket: write bytes, know whether the peer is keeping up, stop or
 * resume reading (flow control), close the socket at the right moment of the
 * closing handshake, and tell where it runs and how much it carried (for the
 * admin API).
 */
import type { TrafficCounters } from '../../broker/stats/counters';

export type PauseReason = 'inbox' | 'memory';

export interface Outbound {
  write(bytes: Buffer): void;
  /** False while the socket's write buffer is over its high-water mark. */
  readonly writable: boolean;
  /** Reading stops while any reason holds it paused (a full inbox, the memory alarm). */
  pauseReading(reason: PauseReason): void;
  resumeReading(reason: PauseReason): void;
  /**
   * connection.close went one way or the other: heartbeats stop, reading goes on
   * (for close-ok, or the peer closing its side), and the socket is destroyed if
   * it is still open after `timeoutMs`.
   */
  closing(timeoutMs: number): void;
  /** The handshake is over and it is ours to close: flush what was written, then close the socket. */
  end(): void;
  readonly endpoint: Endpoint;
  /** Bytes and reads/writes so far, counted by the transport. */
  readonly traffic: TrafficCounters;
}

/** Where the transport runs the connection, for the admin API. */
export interface Endpoint {
  peerHost: string;
  peerPort: number;
  host: string;
  port: number;
  /** When the socket was accepted, ms since the epoch. */
  connectedAt: number;
  tls: boolean;
}
