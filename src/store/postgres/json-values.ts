/**
 * AMQP argument values in jsonb without losing their JS type: byte arrays,
 * 64-bit integers beyond 2^53, timestamps, the numbers JSON cannot write
 * (NaN, ±Infinity) and strings holding NUL, which jsonb refuses, are wrapped
 * in one-key objects named by a `$` marker.
 * A table that itself has a single marker key is wrapped in `$table`, so
 * that it reads back as the table it was rather than as a special value; a
 * table with a key jsonb cannot hold (NUL) is written as `$pairs` of key and value.
 */
const MARKERS = new Set(['$bytes', '$bigint', '$date', '$number', '$string', '$table', '$pairs']);

export function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'string' && value.includes('\u0000')) return { $string: Buffer.from(value, 'utf8').toString('base64') };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    if (Object.keys(value).some((key) => key.includes('\u0000'))) return { $pairs: Object.entries(value).map(([k, v]) => [toJson(k), toJson(v)]) };
    const table = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
    return looksMarked(table) ? { $table: table } : table;
  }
  return value === undefined ? null : value;
}

export function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson);
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (looksMarked(record)) {
    const [[marker, inner]] = Object.entries(record);
    if (marker === '$table' && inner && typeof inner === 'object' && !Array.isArray(inner)) return fromJsonTable(inner as Record<string, unknown>);
    if (marker === '$pairs' && Array.isArray(inner)) return Object.fromEntries(inner.map(([k, v]) => [fromJson(k), fromJson(v)]));
    if (typeof inner === 'string') {
      if (marker === '$bytes') return Buffer.from(inner, 'base64');
      if (marker === '$bigint') return BigInt(inner);
      if (marker === '$date') return new Date(inner);
      if (marker === '$number') return Number(inner);
      if (marker === '$string') return Buffer.from(inner, 'base64').toString('utf8');
    }
  }
  return fromJsonTable(record);
}

function looksMarked(record: object): boolean {
  const keys = Object.keys(record);
  return keys.length === 1 && MARKERS.has(keys[0]);
}

/** fromEntries defines own properties, so a key named __proto__ stays a key. */
function fromJsonTable(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fromJson(v)]));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the entity column type (see entities)
export const argumentsToJson = (args: Record<string, unknown>) => toJson(args) as Record<string, any>;
export const argumentsFromJson = (value: unknown) => (fromJson(value) ?? {}) as Record<string, unknown>;
