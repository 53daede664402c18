/**
 * Converts between tagged field tables (exact wire form) and plain JS values,
 * for code that wants `headers['x-retries'] === 3` rather than tags: the
 * domain core sees only plain values, and the server builds its own tables
 * (server-properties, x-death) from plain objects.
 *
 * fromPlain infers tags the way amqplib does, so the tables we send look like
 * what RabbitMQ clients expect; an already-tagged value ({ type, value }) is
 * kept as it is, which is how to send a type inference would not pick.
 */
import { encodeError } from './codec-error';
import { FIELD_TYPES, FieldTable, FieldType, FieldValue, MAX_NESTING_DEPTH, setOwn } from './field-table';

export type PlainValue =
  | boolean
  | number
  | bigint
  | string
  | Buffer
  | Date
  | null
  | PlainValue[]
  | PlainTable
  /** Decimals, and timestamps a Date cannot hold, stay tagged: JS has no plain form for them. */
  | Extract<FieldValue, { type: 'D' | 'T' }>;

export interface PlainTable {
  [key: string]: PlainValue;
}

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);
/** ECMAScript Dates hold +-8.64e15 ms. */
const MAX_DATE_SECONDS = 8.64e12;

// ---- tagged -> plain --------------------------------------------------------

export function toPlain(table: FieldTable): PlainTable {
  const plain: PlainTable = {};
  for (const key of Object.keys(table)) setOwn(plain, key, toPlainValue(table[key]));
  return plain;
}

export function toPlainValue(v: FieldValue): PlainValue {
  switch (v.type) {
    case 'A': return v.value.map(toPlainValue);
    case 'F': return toPlain(v.value);
    case 'V': return null;
    case 'D': return v;
    case 'T': {
      const seconds = Number(v.value);
      return Math.abs(seconds) <= MAX_DATE_SECONDS ? new Date(seconds * 1000) : v;
    }
    default: return v.value;
  }
}

// ---- plain -> tagged --------------------------------------------------------

/** Keys whose value is undefined are left out, as amqplib does. */
export function fromPlain(obj: PlainTable | Record<string, unknown>, depth = 0): FieldTable {
  if (depth > MAX_NESTING_DEPTH) throw encodeError(`tables nested deeper than ${MAX_NESTING_DEPTH} (a cycle?)`);
  const table: FieldTable = {};
  for (const key of Object.keys(obj)) {
    const value = (obj as Record<string, unknown>)[key];
    if (value !== undefined) setOwn(table, key, fromPlainValue(value, depth));
  }
  return table;
}

export function fromPlainValue(v: unknown, depth = 0): FieldValue {
  switch (typeof v) {
    case 'boolean': return { type: 't', value: v };
    case 'number': return fromNumber(v);
    case 'bigint': return { type: 'l', value: canonicalInt64(v) };
    case 'string': return { type: 'S', value: v };
    case 'undefined': return { type: 'V', value: null };
    case 'object': return fromObject(v, depth);
    default: throw encodeError(`cannot put a ${typeof v} in a field table`);
  }
}

function fromNumber(n: number): FieldValue {
  if (Number.isInteger(n)) {
    if (n >= INT32_MIN && n <= INT32_MAX) return { type: 'I', value: n };
    if (Number.isSafeInteger(n)) return { type: 'l', value: n };
    const big = BigInt(n);
    if (big >= INT64_MIN && big <= INT64_MAX) return { type: 'l', value: big };
  }
  return { type: 'd', value: n };
}

/** The form the decoder produces: number while safe, bigint beyond, so round trips compare equal. */
function canonicalInt64(v: bigint): number | bigint {
  if (v < INT64_MIN || v > INT64_MAX) throw encodeError(`bigint ${v} does not fit a signed 64-bit field`);
  return v >= -MAX_SAFE_BIGINT && v <= MAX_SAFE_BIGINT ? Number(v) : v;
}

function fromObject(v: object | null, depth: number): FieldValue {
  if (v === null) return { type: 'V', value: null };
  if (depth >= MAX_NESTING_DEPTH) throw encodeError(`values nested deeper than ${MAX_NESTING_DEPTH} (a cycle?)`);
  if (Buffer.isBuffer(v)) return { type: 'x', value: v };
  if (v instanceof Uint8Array) return { type: 'x', value: Buffer.from(v.buffer, v.byteOffset, v.byteLength) };
  if (v instanceof Date) return fromDate(v);
  if (Array.isArray(v)) return { type: 'A', value: v.map((item) => fromPlainValue(item, depth + 1)) };
  if (isTagged(v)) return v;
  return { type: 'F', value: fromPlain(v as Record<string, unknown>, depth + 1) };
}

function fromDate(d: Date): FieldValue {
  const ms = d.getTime();
  if (!(ms >= 0)) throw encodeError(`a timestamp must be a valid date at or after 1970, got ${String(d)}`);
  return { type: 'T', value: Math.floor(ms / 1000) };
}

const TAGS: ReadonlySet<string> = new Set(FIELD_TYPES);

/** Exactly { type, value } with a known tag: anything else is an ordinary nested table. */
function isTagged(v: object): v is FieldValue {
  const keys = Object.keys(v);
  if (keys.length !== 2 || !('type' in v) || !('value' in v)) return false;
  return typeof v.type === 'string' && TAGS.has(v.type as FieldType);
}
