/**
 * Equality of AMQP field values as they appear in plain JS: binding arguments
 * (to tell whether two bindings are the same) and header values (to match a
 * headers binding).
 *
 * It follows Erlang's `==`, which is what RabbitMQ compares with: numbers compare
 * by value whatever their wire type, so an integer that one edge decoded as a
 * bigint equals the same integer decoded as a number; and a longstr equals byte
 * array with the same bytes, because both are binaries in RabbitMQ.
 */
export function fieldValuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') return integersEqual(a, b);
  if (isBytes(a) || isBytes(b)) return bytesEqual(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && arraysEqual(a, b);
  }
  return tablesEqual(a as Record<string, unknown>, b as Record<string, unknown>);
}

function integersEqual(a: unknown, b: unknown): boolean {
  const asBigInt = (v: unknown) =>
    typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
  const x = asBigInt(a);
  return x !== undefined && x === asBigInt(b);
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

function bytesEqual(a: unknown, b: unknown): boolean {
  const x = typeof a === 'string' ? Buffer.from(a) : a;
  const y = typeof b === 'string' ? Buffer.from(b) : b;
  if (!isBytes(x) || !isBytes(y) || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function arraysEqual(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!fieldValuesEqual(a[i], b[i])) return false;
  return true;
}

/** Field tables are compared as maps: key order is an accident of encoding. */
function tablesEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !fieldValuesEqual(a[key], b[key])) return false;
  }
  return true;
}
