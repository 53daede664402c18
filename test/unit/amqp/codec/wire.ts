/**
 * What the codec specs share: bytes written as spaced hex, the CodecError a
 * call throws (so a test can check its reply code), and frames read from
 * bytes by the transport's own FrameReader.
 */
import { CodecError } from '../../../../src/amqp/codec/codec-error';
import { FRAME_MIN_SIZE } from '../../../../src/amqp/codec/constants.generated';
import { FrameReader } from '../../../../src/amqp/transport/frame-reader';

/** `hex('01 0000 ce')`: white space is for the reader only. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** The CodecError `fn` throws; anything else thrown, or nothing, fails the test. */
export function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw e;
  }
  throw new Error('expected a CodecError, nothing was thrown');
}

export function expectCodecError(fn: () => unknown, replyCode: number): void {
  expect(codecError(fn).replyCode).toBe(replyCode);
}

export interface ReadFrame {
  type: number;
  channel: number;
  payload: Buffer;
}

/** Feeds `chunks` to `reader` one read at a time; returns the frames it produced, without their stream offsets. */
export function readChunks(reader: FrameReader, chunks: Buffer[], frameMax = FRAME_MIN_SIZE): ReadFrame[] {
  const frames: ReadFrame[] = [];
  for (const chunk of chunks) {
    reader.push(chunk, () => frameMax, ({ type, channel, payload }) => frames.push({ type, channel, payload }));
  }
  return frames;
}

/** Every frame in `bytes`, which must hold only whole frames. */
export function readAllFrames(bytes: Buffer, frameMax = FRAME_MIN_SIZE): ReadFrame[] {
  const reader = new FrameReader();
  const frames = readChunks(reader, [bytes], frameMax);
  if (reader.buffered !== 0) throw new Error(`${reader.buffered} bytes left over after the last frame`);
  return frames;
}
