/**
 * Field tables and field arrays on the wire, with the type tags RabbitMQ and
 * its clients actually use (RabbitMQ's errata, not the 0-9-1 spec's table):
 *
 *   t bool   b int8   B uint8   s int16   u uint16   I int32   i uint32
 *   l int64  f float32  d float64  D decimal  S long string  x byte array
 *   A array  T timestamp  F nested table  V void
 *
 * Values keep their tag ({ type: 'I', value: 5 }) so decode -> encode is byte
 * exact: a header table we decode, add to (dead-lettering) and re-encode must
 * not quietly change the publisher's types. field-table-plain.ts converts to
 * and from ordinary JS values for code that does not care about tags.
 */
import { isUtf8 } from 'buffer';
import { encodeError } from './codec-error';
import {
  WireReader,
  putInt64Exact,
  putUint64Exact,
  shortstrByteLength,
  putShortstr,
} from './primitives';

export interface Decimal {
  /** Number of decimal places: value = digits / 10^scale. */
  scale: number;
  digits: number;
}

export type FieldValue =
  | { type: 't'; value: boolean }
  | { type: 'b' | 'B' | 's' | 'u' | 'I' | 'i' | 'f' | 'd'; value: number }
  /** 64-bit integers are numbers while exactly representable, bigint beyond 2^53 - 1. */
  | { type: 'l'; value: number | bigint }
  /** Seconds since the epoch, unsigned 64-bit; number or bigint as for 'l'. */
  | { type: 'T'; value: number | bigint }
  | { type: 'D'; value: Decimal }
  /** A string when the bytes are valid UTF-8, otherwise the raw bytes, so nothing is lost. */
  | { type: 'S'; value: string | Buffer }
  | { type: 'x'; value: Buffer }
  | { type: 'A'; value: FieldValue[] }
  | { type: 'F'; value: FieldTable }
  | { type: 'V'; value: null };

export type FieldType = FieldValue['type'];
export type FieldTable = Record<string, FieldValue>;

export const FIELD_TYPES: readonly FieldType[] = [
  't', 'b', 'B', 's', 'u', 'I', 'i', 'l', 'f', 'd', 'D', 'S', 'x', 'A', 'T', 'F', 'V',
];

/**
 * Each nesting level costs the peer only 5 bytes but costs us stack frames;
 * without a limit a 128 KB frame of nested arrays overflows the JS stack.
 */
export const MAX_NESTING_DEPTH = 64;

// ---- decoding -------------------------------------------------------------

/** Reads a length-prefixed table at the reader's position. */
export function readFieldTable(r: WireReader, depth = 0): FieldTable {
  if (depth > MAX_NESTING_DEPTH) throw r.fail(`field tables nested deeper than ${MAX_NESTING_DEPTH}`);
  const len = r.long();
  r.need(len);
  const end = r.offset + len;
  const table: FieldTable = {};
  while (r.offset < end) {
    const key = r.shortstr();
    const value = readFieldValue(r, depth);
    setOwn(table, key, value);
  }
  // A last entry may straddle the declared length (reads are only bounded by the frame); catch it here.
  if (r.offset !== end) throw r.fail('field table entry runs past the table length');
  return table;
}

function readFieldArray(r: WireReader, depth: number): FieldValue[] {
  if (depth > MAX_NESTING_DEPTH) throw r.fail(`field arrays nested deeper than ${MAX_NESTING_DEPTH}`);
  const len = r.long();
  r.need(len);
  const end = r.offset + len;
  const values: FieldValue[] = [];
  while (r.offset < end) values.push(readFieldValue(r, depth));
  if (r.offset !== end) throw r.fail('field array entry runs past the array length');
  return values;
}

function readFieldValue(r: WireReader, depth: number): FieldValue {
  const tag = r.octet();
  switch (String.fromCharCode(tag)) {
    case 't': return { type: 't', value: r.octet() !== 0 };
    case 'b': return { type: 'b', value: r.int8() };
    case 'B': return { type: 'B', value: r.octet() };
    case 's': return { type: 's', value: r.int16() };
    case 'u': return { type: 'u', value: r.short() };
    case 'I': return { type: 'I', value: r.int32() };
    case 'i': return { type: 'i', value: r.long() };
    case 'l': return { type: 'l', value: r.int64Exact() };
    case 'f': return { type: 'f', value: r.float() };
    case 'd': return { type: 'd', value: r.double() };
    case 'D': return { type: 'D', value: { scale: r.octet(), digits: r.long() } };
    case 'S': return { type: 'S', value: readLongString(r) };
    case 'x': return { type: 'x', value: r.longstr() };
    case 'A': return { type: 'A', value: readFieldArray(r, depth + 1) };
    case 'T': return { type: 'T', value: r.uint64Exact() };
    case 'F': return { type: 'F', value: readFieldTable(r, depth + 1) };
    case 'V': return { type: 'V', value: null };
    default:
      throw r.fail(`unknown field type tag 0x${tag.toString(16).padStart(2, '0')} at offset ${r.offset - 1}`);
  }
}

function readLongString(r: WireReader): string | Buffer {
  const bytes = r.longstrView();
  return isUtf8(bytes) ? bytes.toString('utf8') : Buffer.from(bytes);
}

/** A key named "__proto__" must become an own property, not replace the table's prototype. */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Decodes a length-prefixed table; returns it with the number of bytes it used. */
export function decodeFieldTable(buf: Buffer, offset = 0): { value: FieldTable; length: number } {
  const r = new WireReader(buf, offset, buf.length);
  const value = readFieldTable(r);
  return { value, length: r.offset - offset };
}

// ---- encoding -------------------------------------------------------------

/** Bytes the table takes on the wire, including its 4-byte length prefix. */
export function fieldTableByteLength(table: FieldTable, depth = 0): number {
  if (depth > MAX_NESTING_DEPTH) throw encodeError(`field tables nested deeper than ${MAX_NESTING_DEPTH}`);
  if (table === null || typeof table !== 'object') throw encodeError(`field table must be an object, got ${table}`);
  let size = 4;
  for (const key of Object.keys(table)) {
    const value = table[key];
    if (value === undefined) continue;
    size += shortstrByteLength(key) + fieldValueByteLength(value, depth);
  }
  return size;
}

function fieldArrayByteLength(values: FieldValue[], depth: number): number {
  if (depth > MAX_NESTING_DEPTH) throw encodeError(`field arrays nested deeper than ${MAX_NESTING_DEPTH}`);
  let size = 4;
  for (const value of values) size += fieldValueByteLength(value, depth);
  return size;
}

/** Bytes one tagged value takes, tag included. */
export function fieldValueByteLength(v: FieldValue, depth = 0): number {
  if (v === null || typeof v !== 'object') throw encodeError(`field value must be tagged, got ${String(v)}`);
  switch (v.type) {
    case 'V': return 1;
    case 't': case 'b': case 'B': return 2;
    case 's': case 'u': return 3;
    case 'I': case 'i': case 'f': return 5;
    case 'l': case 'd': case 'T': return 9;
    case 'D': checkDecimal(v.value); return 6;
    case 'S': return 5 + (typeof v.value === 'string' ? Buffer.byteLength(v.value, 'utf8') : bufferLength(v.value));
    case 'x': return 5 + bufferLength(v.value);
    case 'A': return 1 + fieldArrayByteLength(arrayOf(v.value), depth + 1);
    case 'F': return 1 + fieldTableByteLength(v.value, depth + 1);
    default: throw encodeError(`unknown field type ${JSON.stringify((v as { type: unknown }).type)}`);
  }
}

function checkDecimal(d: Decimal): void {
  if (d === null || typeof d !== 'object') throw encodeError(`decimal must be { scale, digits }, got ${String(d)}`);
}

function bufferLength(b: Buffer): number {
  if (!Buffer.isBuffer(b)) throw encodeError(`expected a Buffer, got ${typeof b}`);
  return b.length;
}

function arrayOf(values: FieldValue[]): FieldValue[] {
  if (!Array.isArray(values)) throw encodeError(`field array value must be an array, got ${typeof values}`);
  return values;
}

/** Writes the table with its length prefix; returns the offset after it. Size it first with fieldTableByteLength. */
export function putFieldTable(buf: Buffer, o: number, table: FieldTable): number {
  const start = o;
  o += 4;
  for (const key of Object.keys(table)) {
    const value = table[key];
    if (value === undefined) continue;
    o = putShortstr(buf, o, key);
    o = putFieldValue(buf, o, value);
  }
  buf.writeUInt32BE(o - start - 4, start);
  return o;
}

function putFieldArray(buf: Buffer, o: number, values: FieldValue[]): number {
  const start = o;
  o += 4;
  for (const value of values) o = putFieldValue(buf, o, value);
  buf.writeUInt32BE(o - start - 4, start);
  return o;
}

export function putFieldValue(buf: Buffer, o: number, v: FieldValue): number {
  buf[o++] = v.type.charCodeAt(0);
  switch (v.type) {
    case 't': buf[o] = v.value ? 1 : 0; return o + 1;
    case 'b': return buf.writeInt8(integer(v.value, -0x80, 0x7f, 'b'), o);
    case 'B': return buf.writeUInt8(integer(v.value, 0, 0xff, 'B'), o);
    case 's': return buf.writeInt16BE(integer(v.value, -0x8000, 0x7fff, 's'), o);
    case 'u': return buf.writeUInt16BE(integer(v.value, 0, 0xffff, 'u'), o);
    case 'I': return buf.writeInt32BE(integer(v.value, -0x8000_0000, 0x7fff_ffff, 'I'), o);
    case 'i': return buf.writeUInt32BE(integer(v.value, 0, 0xffff_ffff, 'i'), o);
    case 'l': return putInt64Exact(buf, o, v.value);
    case 'f': return buf.writeFloatBE(number(v.value, 'f'), o);
    case 'd': return buf.writeDoubleBE(number(v.value, 'd'), o);
    case 'D':
      buf[o] = integer(v.value.scale, 0, 0xff, 'D scale');
      return buf.writeUInt32BE(integer(v.value.digits, 0, 0xffff_ffff, 'D digits'), o + 1);
    case 'S':
      if (typeof v.value === 'string') {
        const len = buf.write(v.value, o + 4, 'utf8');
        buf.writeUInt32BE(len, o);
        return o + 4 + len;
      }
      return putBytes(buf, o, v.value);
    case 'x': return putBytes(buf, o, v.value);
    case 'A': return putFieldArray(buf, o, v.value);
    case 'T': return putUint64Exact(buf, o, v.value);
    case 'F': return putFieldTable(buf, o, v.value);
    case 'V': return o;
  }
}

function putBytes(buf: Buffer, o: number, bytes: Buffer): number {
  o = buf.writeUInt32BE(bytes.length, o);
  return o + bytes.copy(buf, o);
}

function integer(v: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < min || v > max) throw encodeError(`'${what}' value out of range: ${v}`);
  return v;
}

function number(v: number, what: string): number {
  if (typeof v !== 'number') throw encodeError(`'${what}' value must be a number, got ${typeof v}`);
  return v;
}

export function encodeFieldTable(table: FieldTable): Buffer {
  const buf = Buffer.allocUnsafe(fieldTableByteLength(table));
  putFieldTable(buf, 0, table);
  return buf;
}
