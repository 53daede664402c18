/**
 * NATS-style parser tests: the same byte stream, cut at every possible point
 * and fed one byte at a time, must yield the same frames.
 */
import fc from 'fast-check';
import {
  FRAME_BODY,
  FRAME_HEADER,
  FRAME_HEARTBEAT,
  FRAME_METHOD,
} from '../../../../src/amqp/codec/constants.generated';
import { encodeContentCommand } from '../../../../src/amqp/codec/content';
import { fromPlain } from '../../../../src/amqp/codec/field-table-plain';
import { HEARTBEAT_FRAME, encodeMethodFrame } from '../../../../src/amqp/codec/frame';
import { FrameReader, ReadFrame, readAllFrames } from './frame-reader';

const FRAME_MAX = 64;

function streamOfFrames(): Buffer {
  return Buffer.concat([
    encodeMethodFrame(0, 'connection.tune-ok', { channelMax: 16, frameMax: FRAME_MAX, heartbeat: 30 }),
    encodeMethodFrame(1, 'queue.declare', {
      queue: 'orders',
      passive: false,
      durable: true,
      exclusive: false,
      autoDelete: false,
      nowait: false,
      arguments: fromPlain({ 'x-queue-type': 'classic' }),
    }),
    // basic.publish + header + a 150-byte body split into three body frames under frame-max 64.
    encodeContentCommand(
      1,
      'basic.publish',
      { exchange: '', routingKey: 'orders', mandatory: false, immediate: false },
      { deliveryMode: 2 },
      Buffer.alloc(150, 'b'),
      FRAME_MAX,
    ),
    HEARTBEAT_FRAME,
    encodeMethodFrame(1, 'basic.ack', { deliveryTag: 1, multiple: false }),
  ]);
}

function feed(reader: FrameReader, chunks: Buffer[]): ReadFrame[] {
  return chunks.flatMap((chunk) => reader.push(chunk));
}

describe('reading a frame stream in pieces', () => {
  const stream = streamOfFrames();
  const expected = readAllFrames(stream, FRAME_MAX);

  it('reads the expected frames from the whole stream', () => {
    expect(expected.map((f) => [f.type, f.channel])).toEqual([
      [FRAME_METHOD, 0],
      [FRAME_METHOD, 1],
      [FRAME_METHOD, 1],
      [FRAME_HEADER, 1],
      [FRAME_BODY, 1],
      [FRAME_BODY, 1],
      [FRAME_BODY, 1],
      [FRAME_HEARTBEAT, 0],
      [FRAME_METHOD, 1],
    ]);
    expect(Buffer.concat(expected.filter((f) => f.type === FRAME_BODY).map((f) => f.payload))).toEqual(
      Buffer.alloc(150, 'b'),
    );
  });

  it('yields the same frames when cut in two at every possible point', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const reader = new FrameReader(FRAME_MAX);
      expect(feed(reader, [stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
      expect(reader.buffered).toBe(0);
    }
  });

  it('yields the same frames when fed one byte at a time', () => {
    const reader = new FrameReader(FRAME_MAX);
    const bytes = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    expect(feed(reader, bytes)).toEqual(expected);
    expect(reader.buffered).toBe(0);
  });

  it('yields the same frames for any random chunking', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 20 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
        const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
        expect(feed(new FrameReader(FRAME_MAX), chunks)).toEqual(expected);
      }),
    );
  });
});
