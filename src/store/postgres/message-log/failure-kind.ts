/**
 * Permanent or transient: whether writing the same rows again can succeed. A lost
 * connection, a server that is starting or shutting down, a full disk or a
 * deadlock pass; a value the database refuses (a data exception, a violated
 * constraint, a row too large) is refused every time, and retrying it would hold
 * back every publish queued behind it.
 */

/** SQLSTATE classes that describe the server's state, not the statement's content. */
const TRANSIENT_CLASSES = new Set([
  '08', // connection exception
  '40', // transaction rollback: serialization failure, deadlock
  '53', // insufficient resources: disk full, out of memory, too many connections
  '57', // operator intervention: shutdown, cannot connect now, query canceled
  '58', // system error: I/O
]);
const TRANSIENT_CODES = new Set(['55P03']); // lock not available

/** Errors that mean the connection itself is gone, not that the statement was wrong. */
export function isConnectionFailure(error: unknown): boolean {
  const code = sqlState(error) ?? '';
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03'
    || /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|timeout|Connection terminated|Client has encountered a connection error|not queryable/i
      .test(String((error as Error)?.message));
}

export function isTransientFailure(error: unknown): boolean {
  if (isConnectionFailure(error)) return true;
  const code = sqlState(error);
  return code !== undefined && (TRANSIENT_CLASSES.has(code.slice(0, 2)) || TRANSIENT_CODES.has(code));
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
