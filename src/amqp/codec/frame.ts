/**
 * AMQP frames: parsing one frame out of a byte stream, and encoding method,
 * content-header, body and heartbeat frames.
 *
 *   0      1         3             7                  size+7 size+8
 *   +------+---------+-------------+ +--------------+ +-----------+
 *   | type | channel |    size     | |   payload    | | frame-end |
 *   +------+---------+-------------+ +--------------+ +-----------+
 *    octet   short       long          size octets       octet 206
 *
 * parseFrame never touches a socket: the transport feeds it whatever bytes it
 * has and gets back a frame or "need more". It judges a frame from its 7-byte
 * header (type, size against frame-max) before any payload is awaited, so an
 * oversized frame is refused before the reader buffers a byte of it.
 */
import { encodeError, frameError } from './codec-error';
import { FRAME_BODY, FRAME_END, FRAME_HEADER, FRAME_HEARTBEAT, FRAME_METHOD } from './constants.generated';
import {
  BasicProperties,
  MethodArgs,
  MethodName,
  basicPropertiesByteLength,
  methodByteLength,
  putBasicProperties,
  putMethod,
} from './methods.generated';
import { putLonglong } from './primitives';

/** Sent by a client before any frame: "AMQP" 0 0 9 1. */
export const PROTOCOL_HEADER: Buffer = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);

export const FRAME_HEADER_SIZE = 7;
/** Header plus frame-end octet: what a frame costs beyond its payload. */
export const FRAME_OVERHEAD = 8;
/** class id, weight, body size, before the property flags. */
export const CONTENT_HEADER_PREFIX_SIZE = 12;
const BASIC_CLASS_ID = 60;

export interface Frame {
  type: number;
  channel: number;
  /** A view into the input buffer, not a copy: copy it before keeping it past the next read. */
  payload: Buffer;
  /** Offset just past this frame's end octet: where the next frame starts. */
  end: number;
}

/**
 * Parses the frame starting at `offset`. Returns null when more bytes are
 * needed; throws CodecError 501 for an unknown type, a frame larger than
 * `frameMax` (the negotiated frame-max, header and end octet included; use
 * FRAME_MIN_SIZE before tuning) or a bad frame-end octet.
 */
export function parseFrame(buf: Buffer, offset: number, frameMax: number): Frame | null {
  const available = buf.length - offset;
  if (available < 1) return null;
  const type = buf[offset];
  if (type !== FRAME_METHOD && type !== FRAME_HEADER && type !== FRAME_BODY && type !== FRAME_HEARTBEAT) {
    throw frameError(`unknown frame type ${type}`);
  }
  if (available < FRAME_HEADER_SIZE) return null;
  const channel = (buf[offset + 1] << 8) | buf[offset + 2];
  const size = buf.readUInt32BE(offset + 3);
  if (size + FRAME_OVERHEAD > frameMax) {
    throw frameError(`frame of ${size + FRAME_OVERHEAD} bytes exceeds frame-max ${frameMax}`);
  }
  const end = offset + FRAME_HEADER_SIZE + size + 1;
  if (buf.length < end) return null;
  if (buf[end - 1] !== FRAME_END) throw frameError(`frame-end octet is ${buf[end - 1]}, expected ${FRAME_END}`);
  return { type, channel, payload: buf.subarray(offset + FRAME_HEADER_SIZE, end - 1), end };
}

// ---- encoding -------------------------------------------------------------

/** Writes type, channel and size; the caller writes `size` payload bytes and then FRAME_END. */
export function putFrameHeader(buf: Buffer, o: number, type: number, channel: number, size: number): number {
  if ((channel & 0xffff) !== channel) throw encodeError(`channel out of range: ${channel}`);
  buf[o] = type;
  buf[o + 1] = channel >>> 8;
  buf[o + 2] = channel & 0xff;
  return buf.writeUInt32BE(size, o + 3);
}

export function methodFrameByteLength<K extends MethodName>(name: K, args: MethodArgs[K]): number {
  return FRAME_OVERHEAD + methodByteLength(name, args);
}

/** Writes a whole method frame at `o`; returns the offset after it. */
export function putMethodFrame<K extends MethodName>(
  buf: Buffer,
  o: number,
  channel: number,
  name: K,
  args: MethodArgs[K],
  payloadSize = methodByteLength(name, args),
): number {
  o = putFrameHeader(buf, o, FRAME_METHOD, channel, payloadSize);
  o = putMethod(buf, o, name, args);
  buf[o] = FRAME_END;
  return o + 1;
}

export function encodeMethodFrame<K extends MethodName>(channel: number, name: K, args: MethodArgs[K]): Buffer {
  const payloadSize = methodByteLength(name, args);
  const buf = Buffer.allocUnsafe(FRAME_OVERHEAD + payloadSize);
  putMethodFrame(buf, 0, channel, name, args, payloadSize);
  return buf;
}

/**
 * Content properties as given to the header-frame encoders: either fields to
 * encode, or flags + property list already encoded (a publisher's bytes,
 * passed through to consumers untouched).
 */
export type ContentProperties = BasicProperties | Buffer;

export function propertiesByteLength(properties: ContentProperties): number {
  return Buffer.isBuffer(properties) ? properties.length : basicPropertiesByteLength(properties);
}

export function contentHeaderFrameByteLength(properties: ContentProperties): number {
  return FRAME_OVERHEAD + CONTENT_HEADER_PREFIX_SIZE + propertiesByteLength(properties);
}

/** Writes a basic content-header frame at `o`; `propertiesSize` from propertiesByteLength. */
export function putContentHeaderFrame(
  buf: Buffer,
  o: number,
  channel: number,
  bodySize: number,
  properties: ContentProperties,
  propertiesSize = propertiesByteLength(properties),
): number {
  o = putFrameHeader(buf, o, FRAME_HEADER, channel, CONTENT_HEADER_PREFIX_SIZE + propertiesSize);
  buf[o] = 0;
  buf[o + 1] = BASIC_CLASS_ID;
  buf[o + 2] = 0; // weight: unused, always zero
  buf[o + 3] = 0;
  o = putLonglong(buf, o + 4, bodySize);
  o = Buffer.isBuffer(properties) ? o + properties.copy(buf, o) : putBasicProperties(buf, o, properties);
  buf[o] = FRAME_END;
  return o + 1;
}

export function encodeContentHeaderFrame(channel: number, bodySize: number, properties: ContentProperties): Buffer {
  const propertiesSize = propertiesByteLength(properties);
  const buf = Buffer.allocUnsafe(FRAME_OVERHEAD + CONTENT_HEADER_PREFIX_SIZE + propertiesSize);
  putContentHeaderFrame(buf, 0, channel, bodySize, properties, propertiesSize);
  return buf;
}

/** Largest body chunk one body frame can carry under `frameMax`. */
export function maxBodyChunk(frameMax: number): number {
  if (!Number.isInteger(frameMax) || frameMax <= FRAME_OVERHEAD) {
    throw encodeError(`frame-max ${frameMax} leaves no room for a body`);
  }
  return frameMax - FRAME_OVERHEAD;
}

/** A zero-length body is sent as no body frames at all. */
export function bodyFrameCount(bodySize: number, frameMax: number): number {
  return Math.ceil(bodySize / maxBodyChunk(frameMax));
}

export function bodyFramesByteLength(bodySize: number, frameMax: number): number {
  return bodySize + FRAME_OVERHEAD * bodyFrameCount(bodySize, frameMax);
}

/** Writes the body as frames of at most frameMax bytes; returns the offset after them. */
export function putBodyFrames(buf: Buffer, o: number, channel: number, body: Buffer, frameMax: number): number {
  const chunk = maxBodyChunk(frameMax);
  for (let start = 0; start < body.length; start += chunk) {
    const size = Math.min(chunk, body.length - start);
    o = putFrameHeader(buf, o, FRAME_BODY, channel, size);
    o += body.copy(buf, o, start, start + size);
    buf[o++] = FRAME_END;
  }
  return o;
}

export function encodeBodyFrames(channel: number, body: Buffer, frameMax: number): Buffer {
  const buf = Buffer.allocUnsafe(bodyFramesByteLength(body.length, frameMax));
  putBodyFrames(buf, 0, channel, body, frameMax);
  return buf;
}

/** Heartbeats always travel on channel 0 with an empty payload. */
export const HEARTBEAT_FRAME: Buffer = Buffer.from([FRAME_HEARTBEAT, 0, 0, 0, 0, 0, 0, FRAME_END]);
