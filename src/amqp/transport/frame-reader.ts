/**
 * Cuts a TCP byte stream into frames with the codec's pure parseFrame. Only the
 * unfinished tail of a read is kept between reads; a frame's size is judged from
 * its 7-byte header (against frame-max) before any of its payload is buffered.
 */
import { Frame, parseFrame } from '../codec';

export class FrameReader {
  private tail?: Buffer;

  /** Calls `onFrame` for every whole frame in `chunk` (plus what was left over); throws CodecError. */
  push(chunk: Buffer, frameMax: () => number, onFrame: (frame: Frame) => void): void {
    let buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    this.tail = undefined;
    let offset = 0;
    for (;;) {
      const frame = parseFrame(buf, offset, frameMax());
      if (!frame) break;
      offset = frame.end;
      onFrame(frame);
    }
    if (offset < buf.length) {
      // Copy a small tail so the big chunk it came from can be collected.
      buf = buf.subarray(offset);
      this.tail = buf.length < 4096 ? Buffer.from(buf) : buf;
    }
  }
}
