/**
 * What the protocol state machines need from the transport, so that they never
 * touch a socket: write bytes, know whether the peer is keeping up, stop or
 * resume reading (flow control), and end the connection.
 */
export type PauseReason = 'inbox' | 'memory';

export interface Outbound {
  write(bytes: Buffer): void;
  /** False while the socket's write buffer is over its high-water mark. */
  readonly writable: boolean;
  /** Reading stops while any reason holds it paused (a full inbox, the memory alarm). */
  pauseReading(reason: PauseReason): void;
  resumeReading(reason: PauseReason): void;
  /** Flushes what was written, then closes the socket. */
  end(): void;
}
