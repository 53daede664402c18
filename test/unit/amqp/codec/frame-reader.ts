/**
 * A minimal accumulating reader around parseFrame, the way a transport would
 * drive it: append each chunk, take whole frames, keep the rest. Payloads are
 * copied because they are views into a buffer the next chunk replaces.
 */
import { FRAME_MIN_SIZE } from '../../../../src/amqp/codec/constants.generated';
import { parseFrame } from '../../../../src/amqp/codec/frame';

export interface ReadFrame {
  type: number;
  channel: number;
  payload: Buffer;
}

export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly frameMax = FRAME_MIN_SIZE) {}

  push(chunk: Buffer): ReadFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: ReadFrame[] = [];
    let offset = 0;
    for (let frame = parseFrame(this.pending, offset, this.frameMax); frame; frame = parseFrame(this.pending, offset, this.frameMax)) {
      frames.push({ type: frame.type, channel: frame.channel, payload: Buffer.from(frame.payload) });
      offset = frame.end;
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }

  get buffered(): number {
    return this.pending.length;
  }
}

/** Every frame in `bytes`, which must hold only whole frames. */
export function readAllFrames(bytes: Buffer, frameMax = FRAME_MIN_SIZE): ReadFrame[] {
  const reader = new FrameReader(frameMax);
  const frames = reader.push(bytes);
  if (reader.buffered !== 0) throw new Error(`${reader.buffered} bytes left over after the last frame`);
  return frames;
}
