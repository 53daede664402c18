/**
 * Cuts a TCP byte stream into frames with the codec's pure parseFrame.
 *
 * Whole frames inside a read are handed on as views into that read, with no
 * copy. A frame cut by the end of a read is gathered in one buffer of its exact
 * size, allocated only once its 7-byte header has been judged (type, and size
 * against frame-max), so each of its bytes is copied once however thinly the
 * peer slices it. Appending every read to the backlog instead costs the square
 * of the frame size when a client sends one byte at a time: 20 s of a blocked
 * event loop for one 128 KiB frame.
 */
import { FRAME_HEADER_SIZE, Frame, parseFrame } from '../codec';

export class FrameReader {
  /** The frame cut by the end of the last read: its header only (7 bytes) until that is complete, then the whole frame. */
  private partial?: Buffer;
  private partialFilled = 0;

  /** Bytes held of a frame not yet complete. */
  get buffered(): number {
    return this.partialFilled;
  }

  /**
   * Calls `onFrame` for every frame completed by `chunk`, in order; throws
   * CodecError. A frame's payload is a view into a buffer the reader never
   * writes again, so it stays valid after this call returns.
   */
  push(chunk: Buffer, frameMax: () => number, onFrame: (frame: Frame) => void): void {
    let offset = 0;
    if (this.partial) {
      offset = this.fillPartial(chunk, 0, frameMax);
      if (this.partialFilled < this.partial.length) return;
      const frame = parseFrame(this.partial, 0, frameMax())!;
      this.partial = undefined;
      this.partialFilled = 0;
      onFrame(frame);
    }
    for (;;) {
      const frame = parseFrame(chunk, offset, frameMax());
      if (!frame) break;
      offset = frame.end;
      onFrame(frame);
    }
    if (offset < chunk.length) {
      // parseFrame has already refused a bad type, or a header over frame-max, in these bytes.
      this.partial = Buffer.allocUnsafe(FRAME_HEADER_SIZE);
      this.fillPartial(chunk, offset, frameMax);
    }
  }

  /** Copies what `partial` still lacks from `chunk` at `offset`; returns the offset after what it took. */
  private fillPartial(chunk: Buffer, offset: number, frameMax: () => number): number {
    for (;;) {
      const partial = this.partial!;
      const taken = chunk.copy(partial, this.partialFilled, offset, offset + partial.length - this.partialFilled);
      offset += taken;
      this.partialFilled += taken;
      // A frame is at least 8 bytes, so a 7-byte buffer only ever holds a header.
      if (this.partialFilled < partial.length || partial.length > FRAME_HEADER_SIZE) return offset;
      parseFrame(partial, 0, frameMax()); // judges the header: returns null (payload to come) or throws
      this.partial = Buffer.allocUnsafe(FRAME_HEADER_SIZE + partial.readUInt32BE(3) + 1);
      partial.copy(this.partial);
    }
  }
}
