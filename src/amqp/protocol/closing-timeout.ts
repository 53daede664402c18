/**
 * How long a closing connection waits for its peer, taken from RabbitMQ's reader
 * (rabbit_reader.erl). Once connection.close has gone either way, the peer has
 * this long to finish the handshake (close-ok, or closing its socket) before the
 * transport destroys the socket, so that a half-closed socket never lingers.
 */

/** RabbitMQ's default `handshake_timeout`: a connection must be tuned within it. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** RabbitMQ's ?CLOSING_TIMEOUT: the longest any close waits. */
const CLOSING_TIMEOUT_MS = 30_000;

/**
 * RabbitMQ's ?SILENT_CLOSE_DELAY. After a frame error the bytes that follow can no
 * longer be read as frames, so close-ok cannot be recognised: the peer gets this
 * long to read the close and hang up.
 */
export const LOST_SYNC_CLOSE_MS = 3_000;

/**
 * The negotiated heartbeat when it is between 1 and 29 seconds, otherwise 30 s;
 * before tune-ok (no heartbeat yet, `undefined`), the handshake timeout.
 */
export function closingTimeoutMs(heartbeatSeconds: number | undefined): number {
  if (heartbeatSeconds === undefined) return HANDSHAKE_TIMEOUT_MS;
  const heartbeatMs = heartbeatSeconds * 1000;
  return heartbeatMs > 0 && heartbeatMs < CLOSING_TIMEOUT_MS ? heartbeatMs : CLOSING_TIMEOUT_MS;
}
