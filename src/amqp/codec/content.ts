/**
 * Content: the header-frame payload (class, body size, properties) and whole
 * content-bearing commands - a method frame, a header frame and body frames -
 * encoded together. encodeDelivery is the broker's hot path: one allocation,
 * one copy of the body, and the publisher's property bytes passed through.
 */
import { CodecError } from './codec-error';
import { FRAME_BODY, FRAME_END, FRAME_METHOD, UNEXPECTED_FRAME } from './constants.generated';
import {
  CONTENT_HEADER_PREFIX_SIZE,
  ContentProperties,
  bodyFrameCount,
  bodyFramesByteLength,
  contentHeaderFrameByteLength,
  maxBodyChunk,
  propertiesByteLength,
  putBodyFrames,
  putContentHeaderFrame,
  putFrameHeader,
  putMethodFrame,
  FRAME_HEADER_SIZE,
  FRAME_OVERHEAD,
} from './frame';
import {
  BasicDeliver,
  BasicProperties,
  ContentMethodName,
  MethodArgs,
  basicPropertiesByteLength,
  byteLengthBasicDeliver,
  methodByteLength,
  putBasicDeliver,
  putBasicProperties,
  readBasicProperties,
} from './methods.generated';
import { WireReader } from './primitives';

const BASIC_CLASS_ID = 60;

export interface ContentHeader {
  classId: number;
  bodySize: number;
  properties: BasicProperties;
  /**
   * Property flags + list exactly as received: a view into the frame (no
   * copy). Copy it to keep it, e.g. to pass a publisher's properties through.
   */
  encodedProperties: Buffer;
}

/**
 * Decodes a content-header frame payload. Only class basic carries content,
 * so any other class is an unexpected frame (505). A body size above 2^53 - 1
 * is refused (502) rather than rounded.
 */
export function decodeContentHeader(payload: Buffer): ContentHeader {
  const r = new WireReader(payload, 0, payload.length);
  const classId = r.short();
  if (classId !== BASIC_CLASS_ID) {
    const message = `content header for class ${classId}; only basic (60) carries content`;
    throw new CodecError(UNEXPECTED_FRAME, message, classId);
  }
  r.short(); // weight: unused, and its value has no meaning to preserve
  const bodySize = r.longlong();
  const propertiesStart = r.offset;
  const properties = readBasicProperties(r);
  r.expectEnd();
  return { classId, bodySize, properties, encodedProperties: payload.subarray(propertiesStart) };
}

/** Decodes property flags + list (e.g. encodedProperties kept with a stored message). */
export function decodeBasicProperties(encoded: Buffer): BasicProperties {
  const r = new WireReader(encoded, 0, encoded.length);
  const properties = readBasicProperties(r);
  r.expectEnd();
  return properties;
}

/** Encodes property flags + list, the form decodeContentHeader's encodedProperties has. */
export function encodeBasicProperties(properties: BasicProperties): Buffer {
  const buf = Buffer.allocUnsafe(basicPropertiesByteLength(properties));
  putBasicProperties(buf, 0, properties);
  return buf;
}

/** Sizes are passed in, not recomputed: sizing properties walks their header table. */
function contentCommandByteLength(methodSize: number, propertiesSize: number, bodySize: number, frameMax: number): number {
  const headerFrameSize = FRAME_OVERHEAD + CONTENT_HEADER_PREFIX_SIZE + propertiesSize;
  return FRAME_OVERHEAD + methodSize + headerFrameSize + bodyFramesByteLength(bodySize, frameMax);
}

/**
 * basic.deliver + header + body frames in one Buffer: the single allocation and
 * body copy a delivery costs. Pass the publisher's encoded properties to skip
 * re-encoding them.
 */
export function encodeDelivery(
  channel: number,
  deliver: BasicDeliver,
  properties: ContentProperties,
  body: Buffer,
  frameMax: number,
): Buffer {
  const methodSize = byteLengthBasicDeliver(deliver);
  const propertiesSize = propertiesByteLength(properties);
  const buf = Buffer.allocUnsafe(contentCommandByteLength(methodSize, propertiesSize, body.length, frameMax));
  let o = putFrameHeader(buf, 0, FRAME_METHOD, channel, methodSize);
  o = putBasicDeliver(buf, o, deliver);
  buf[o++] = FRAME_END;
  o = putContentHeaderFrame(buf, o, channel, body.length, properties, propertiesSize);
  putBodyFrames(buf, o, channel, body, frameMax);
  return buf;
}

/** Any content method (publish, return, deliver, get-ok) with its content, in one Buffer. */
export function encodeContentCommand<K extends ContentMethodName>(
  channel: number,
  name: K,
  args: MethodArgs[K],
  properties: ContentProperties,
  body: Buffer,
  frameMax: number,
): Buffer {
  const methodSize = methodByteLength(name, args);
  const propertiesSize = propertiesByteLength(properties);
  const buf = Buffer.allocUnsafe(contentCommandByteLength(methodSize, propertiesSize, body.length, frameMax));
  let o = putMethodFrame(buf, 0, channel, name, args, methodSize);
  o = putContentHeaderFrame(buf, o, channel, body.length, properties, propertiesSize);
  putBodyFrames(buf, o, channel, body, frameMax);
  return buf;
}

/**
 * Like encodeContentCommand, but the body is never copied: the list holds
 * views of `body` between small buffers of frame headers and end octets. For
 * large bodies, where a copy costs more than a few extra writes.
 */
export function encodeContentCommandFrames<K extends ContentMethodName>(
  channel: number,
  name: K,
  args: MethodArgs[K],
  properties: ContentProperties,
  body: Buffer,
  frameMax: number,
): Buffer[] {
  if (!Buffer.isBuffer(properties)) properties = encodeBasicProperties(properties);
  const methodSize = methodByteLength(name, args);
  const frames = bodyFrameCount(body.length, frameMax);
  const chunk = maxBodyChunk(frameMax);
  // Before the first chunk: method frame, header frame, first body frame header.
  const headSize =
    FRAME_OVERHEAD + methodSize + contentHeaderFrameByteLength(properties) + (frames > 0 ? FRAME_HEADER_SIZE : 0);
  // Between chunks: end octet of one body frame + header of the next; then the last end octet.
  const glueSize = frames > 0 ? (frames - 1) * FRAME_OVERHEAD + 1 : 0;
  const small = Buffer.allocUnsafe(headSize + glueSize);
  let o = putMethodFrame(small, 0, channel, name, args, methodSize);
  o = putContentHeaderFrame(small, o, channel, body.length, properties);
  const parts: Buffer[] = [];
  let partStart = 0;
  for (let i = 0, start = 0; i < frames; i++, start += chunk) {
    if (i > 0) small[o++] = FRAME_END;
    o = putFrameHeader(small, o, FRAME_BODY, channel, Math.min(chunk, body.length - start));
    parts.push(small.subarray(partStart, o), body.subarray(start, Math.min(start + chunk, body.length)));
    partStart = o;
  }
  if (frames > 0) small[o++] = FRAME_END;
  parts.push(small.subarray(partStart, o));
  return parts;
}
