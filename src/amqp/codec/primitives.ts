/**
 * AMQP's primitive wire types: octet, short, long, longlong, shortstr, longstr,
 * plus the signed and floating-point numbers field tables add.
 *
 * Decoding goes through WireReader, a cursor that checks every length against
 * the end of the frame BEFORE reading or allocating, so a peer claiming a 4 GB
 * string inside a 100-byte frame costs us one comparison. Encoding goes through
 * put* functions that write at an offset and return the offset after what they
 * wrote; callers size the buffer first with the *ByteLength functions.
 */
import { isUtf8 } from 'buffer';
import { CodecError, encodeError, frameError, syntaxError } from './codec-error';

const TWO_POW_32 = 0x1_0000_0000;
/** longlong values are JS numbers; above 2^53 they would silently lose precision. */
const MAX_SAFE_HIGH_WORD = Math.floor(Number.MAX_SAFE_INTEGER / TWO_POW_32);
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);
export const SHORTSTR_MAX_BYTES = 255;

export class WireReader {
  /** Set while decoding a method's fields so errors can name the failing method. */
  classId = 0;
  methodId = 0;

  constructor(
    readonly buf: Buffer,
    public offset: number,
    readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `n` more bytes are available; every read calls this first. */
  need(n: number): void {
    if (this.end - this.offset < n) {
      throw frameError(
        `truncated: need ${n} byte(s) at offset ${this.offset}, have ${this.end - this.offset}`,
        this.classId,
        this.methodId,
      );
    }
  }

  expectEnd(): void {
    if (this.offset !== this.end) {
      throw frameError(`${this.end - this.offset} unexpected trailing byte(s)`, this.classId, this.methodId);
    }
  }

  fail(message: string): CodecError {
    return syntaxError(message, this.classId, this.methodId);
  }

  octet(): number {
    this.need(1);
    return this.buf[this.offset++];
  }

  short(): number {
    this.need(2);
    const o = this.offset;
    this.offset = o + 2;
    return (this.buf[o] << 8) | this.buf[o + 1];
  }

  long(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** Unsigned 64-bit as a number; values above 2^53 - 1 are refused rather than rounded. */
  longlong(): number {
    this.need(8);
    const high = this.buf.readUInt32BE(this.offset);
    if (high > MAX_SAFE_HIGH_WORD) throw this.fail(`64-bit value at offset ${this.offset} exceeds 2^53 - 1`);
    const low = this.buf.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return high * TWO_POW_32 + low;
  }

  /**
   * Names, routing keys and table keys. Invalid UTF-8 is refused rather than
   * replaced: U+FFFD takes 3 bytes, so a lossy decode could turn a valid
   * 255-byte routing key into one we can no longer encode for delivery.
   */
  shortstr(): string {
    this.need(1);
    const len = this.buf[this.offset];
    this.offset += 1;
    this.need(len);
    const start = this.offset;
    const end = start + len;
    this.offset = end;
    const buf = this.buf;
    // Most names are ASCII: a byte loop is cheaper than a view plus a native call.
    let i = start;
    while (i < end && buf[i] < 0x80) i++;
    if (i === end) return buf.toString('latin1', start, end);
    const bytes = buf.subarray(start, end);
    if (!isUtf8(bytes)) throw this.fail(`short string at offset ${start} is not valid UTF-8`);
    return bytes.toString('utf8');
  }

  /** A copy, so a small long string kept by the broker does not pin the whole socket chunk. */
  longstr(): Buffer {
    return Buffer.from(this.longstrView());
  }

  /** A view into the frame (no copy); the caller decides whether to copy. */
  longstrView(): Buffer {
    return this.view(this.long());
  }

  view(len: number): Buffer {
    this.need(len);
    const start = this.offset;
    this.offset = start + len;
    return this.buf.subarray(start, start + len);
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** Unsigned 64-bit, exact: a number while it fits in 2^53 - 1, a bigint above. */
  uint64Exact(): number | bigint {
    this.need(8);
    const high = this.buf.readUInt32BE(this.offset);
    const low = this.buf.readUInt32BE(this.offset + 4);
    this.offset += 8;
    if (high <= MAX_SAFE_HIGH_WORD) return high * TWO_POW_32 + low;
    return (BigInt(high) << 32n) | BigInt(low);
  }

  /** Signed 64-bit, exact: a number while it is a safe integer, a bigint beyond. */
  int64Exact(): number | bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v >= -MAX_SAFE_BIGINT && v <= MAX_SAFE_BIGINT ? Number(v) : v;
  }

  float(): number {
    this.need(4);
    const v = this.buf.readFloatBE(this.offset);
    this.offset += 4;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }
}

// ---- encoding -------------------------------------------------------------

export function putOctet(buf: Buffer, o: number, v: number): number {
  if ((v & 0xff) !== v) throw encodeError(`octet out of range: ${v}`);
  buf[o] = v;
  return o + 1;
}

export function putShort(buf: Buffer, o: number, v: number): number {
  if ((v & 0xffff) !== v) throw encodeError(`short out of range: ${v}`);
  buf[o] = v >>> 8;
  buf[o + 1] = v & 0xff;
  return o + 2;
}

export function putLong(buf: Buffer, o: number, v: number): number {
  if (v >>> 0 !== v) throw encodeError(`long out of range: ${v}`);
  return buf.writeUInt32BE(v, o);
}

/** Unsigned 64-bit from a safe integer or a bigint (the exact form WireReader.uint64Exact returns). */
export function putUint64Exact(buf: Buffer, o: number, v: number | bigint): number {
  if (typeof v === 'bigint') {
    if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw encodeError(`uint64 out of range: ${v}`);
    return buf.writeBigUInt64BE(v, o);
  }
  return putLonglong(buf, o, v);
}

/** Signed 64-bit from a safe integer or a bigint. */
export function putInt64Exact(buf: Buffer, o: number, v: number | bigint): number {
  if (typeof v === 'bigint') {
    if (v < -0x8000_0000_0000_0000n || v > 0x7fff_ffff_ffff_ffffn) throw encodeError(`int64 out of range: ${v}`);
    return buf.writeBigInt64BE(v, o);
  }
  if (!Number.isSafeInteger(v)) throw encodeError(`int64 must be a safe integer or a bigint: ${v}`);
  return buf.writeBigInt64BE(BigInt(v), o);
}

export function putLonglong(buf: Buffer, o: number, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0) throw encodeError(`longlong must be a safe non-negative integer: ${v}`);
  buf.writeUInt32BE(Math.floor(v / TWO_POW_32), o);
  return buf.writeUInt32BE(v >>> 0, o + 4);
}

/** Validates the 255-byte limit; call before allocating, then putShortstr. */
export function shortstrByteLength(s: string): number {
  if (typeof s !== 'string') throw encodeError(`shortstr must be a string, got ${typeof s}`);
  if (s.length <= SHORTSTR_MAX_BYTES && isAscii(s)) return 1 + s.length;
  const len = Buffer.byteLength(s, 'utf8');
  if (len > SHORTSTR_MAX_BYTES) throw encodeError(`shortstr is ${len} bytes, the limit is ${SHORTSTR_MAX_BYTES}`);
  return 1 + len;
}

export function putShortstr(buf: Buffer, o: number, s: string): number {
  // Names and routing keys are short and nearly always ASCII; copying char
  // codes in JS beats two native calls (byteLength, write) per string.
  const n = s.length;
  if (n <= SHORTSTR_MAX_BYTES) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[o + 1 + i] = c;
    }
    if (i === n) {
      buf[o] = n;
      return o + 1 + n;
    }
  }
  const len = buf.write(s, o + 1, 'utf8');
  if (len > SHORTSTR_MAX_BYTES) throw encodeError(`shortstr is ${len} bytes, the limit is ${SHORTSTR_MAX_BYTES}`);
  buf[o] = len;
  return o + 1 + len;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

export function longstrByteLength(b: Buffer): number {
  if (!Buffer.isBuffer(b)) throw encodeError(`longstr must be a Buffer, got ${typeof b}`);
  if (b.length > 0xffffffff) throw encodeError(`longstr of ${b.length} bytes exceeds 2^32 - 1`);
  return 4 + b.length;
}

export function putLongstr(buf: Buffer, o: number, b: Buffer): number {
  o = buf.writeUInt32BE(b.length, o);
  return o + b.copy(buf, o);
}
