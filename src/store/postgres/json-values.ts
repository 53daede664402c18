/**
 * AMQP argument values in jsonb without losing their JS type: byte arrays,
 * 64-bit integers beyond 2^53 and timestamps are wrapped in one-key objects.
 */
export function toJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return { $bytes: value.toString('base64') };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value === undefined ? null : value;
}

export function fromJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJson);
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && typeof record[keys[0]] === 'string') {
    if (keys[0] === '$bytes') return Buffer.from(record.$bytes as string, 'base64');
    if (keys[0] === '$bigint') return BigInt(record.$bigint as string);
    if (keys[0] === '$date') return new Date(record.$date as string);
  }
  return Object.fromEntries(keys.map((k) => [k, fromJson(record[k])]));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the entity column type (see entities)
export const argumentsToJson = (args: Record<string, unknown>) => toJson(args) as Record<string, any>;
export const argumentsFromJson = (value: unknown) => (fromJson(value) ?? {}) as Record<string, unknown>;
