/**
 * What the protocol state machines need from the transport, so that they never
 * touch a socket: write bytes, know whether the peer is keeping up, stop or
 * resume reading (flow control), and close the socket at the right moment of
 * the closing handshake.
 */
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
}
