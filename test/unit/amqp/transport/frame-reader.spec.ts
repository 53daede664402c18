/**
 * The transport's FrameReader, driven the way a socket drives it. NATS-style:
 * the same byte stream cut at every possible point, fed one byte at a time and
 * chunked at random must yield the same frames, and bad bytes must get the same
 * refusal however they are cut.
 */
import fc from 'fast-check';
import { CodecError } from '../../../../src/amqp/codec/codec-error';
import {
  FRAME_BODY,
  FRAME_HEADER,
  FRAME_HEARTBEAT,
  FRAME_METHOD,
} from '../../../../src/amqp/codec/constants.generated';
import { encodeContentCommand } from '../../../../src/amqp/codec/content';
import { fromPlain } from '../../../../src/amqp/codec/field-table-plain';
import { HEARTBEAT_FRAME, encodeBodyFrames, encodeMethodFrame, parseFrame } from '../../../../src/amqp/codec/frame';
import { FrameReader } from '../../../../src/amqp/transport/frame-reader';
import { basicProperties, method } from '../codec/arbitraries';
import { ReadFrame, codecError, hex, readAllFrames, readChunks } from '../codec/wire';

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

/** Frames as `type/channel/payload-hex` strings: compared far faster than Buffers by jest's deep equality. */
const asText = (frames: ReadFrame[]): string[] => frames.map((f) => `${f.type}/${f.channel}/${f.payload.toString('hex')}`);

/** `bytes` cut at the given offsets (sorted, unique, inside the stream). */
function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  return points.slice(1).map((end, i) => bytes.subarray(points[i], end));
}

const chunkings = (bytes: Buffer): fc.Arbitrary<Buffer[]> =>
  fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 20 }).map((cuts) => cutAt(bytes, cuts));

/** What the pure codec reads from the whole stream at once: frames, then the CodecError (if any) that stops it. */
function parseWhole(bytes: Buffer, frameMax: number): { frames: string[]; error?: number } {
  const frames: ReadFrame[] = [];
  let offset = 0;
  try {
    for (let frame = parseFrame(bytes, offset, frameMax); frame; frame = parseFrame(bytes, offset, frameMax)) {
      frames.push({ type: frame.type, channel: frame.channel, payload: frame.payload });
      offset = frame.end;
    }
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    return { frames: asText(frames), error: e.replyCode };
  }
  return { frames: asText(frames) };
}

/** What the reader yields from `chunks`: frames, then the CodecError (if any) that stops it. */
function readInChunks(chunks: Buffer[], frameMax: number): { frames: string[]; error?: number } {
  const reader = new FrameReader();
  const frames: ReadFrame[] = [];
  try {
    for (const chunk of chunks) {
      reader.push(chunk, () => frameMax, ({ type, channel, payload }) => frames.push({ type, channel, payload }));
    }
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    return { frames: asText(frames), error: e.replyCode };
  }
  return { frames: asText(frames) };
}

describe('FrameReader: reading a frame stream in pieces', () => {
  const stream = streamOfFrames();
  const expected = readAllFrames(stream, FRAME_MAX);
  const expectedText = asText(expected);

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

  it('yields the same frames when cut in two at every possible point, holding only the unfinished frame in between', () => {
    const frameEnds = [0];
    for (const f of expected) frameEnds.push(frameEnds[frameEnds.length - 1] + f.payload.length + 8);
    for (let cut = 0; cut <= stream.length; cut++) {
      const reader = new FrameReader();
      const first = readChunks(reader, [stream.subarray(0, cut)], FRAME_MAX);
      const lastWholeFrameEnd = Math.max(...frameEnds.filter((end) => end <= cut));
      expect(reader.buffered).toBe(cut - lastWholeFrameEnd);
      expect(asText([...first, ...readChunks(reader, [stream.subarray(cut)], FRAME_MAX)])).toEqual(expectedText);
      expect(reader.buffered).toBe(0);
    }
  });

  it('yields the same frames when fed one byte at a time', () => {
    const reader = new FrameReader();
    const bytes = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    expect(asText(readChunks(reader, bytes, FRAME_MAX))).toEqual(expectedText);
    expect(reader.buffered).toBe(0);
  });

  it('yields the same frames for any random chunking', () => {
    fc.assert(
      fc.property(chunkings(stream), (chunks) => {
        const reader = new FrameReader();
        expect(asText(readChunks(reader, chunks, FRAME_MAX))).toEqual(expectedText);
        expect(reader.buffered).toBe(0);
      }),
    );
  });

  it('agrees with parsing the whole stream at once, for random, corrupted and oversized frames, however they are cut', () => {
    const frameStreams = fc
      .tuple(fc.array(method, { maxLength: 3 }), basicProperties, fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 9, max: 200 }))
      .map(([methods, properties, body, bodyFrameMax]) =>
        Buffer.concat([
          ...methods.map((m) => encodeMethodFrame(1, m.name, m.args as never)),
          encodeContentCommand(2, 'basic.publish', { exchange: 'x', routingKey: 'k', mandatory: false, immediate: false }, properties, Buffer.from(body), bodyFrameMax),
        ]),
      );
    const corrupted = fc
      .tuple(frameStreams, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }))
      .map(([bytes, edits]) => {
        const copy = Buffer.from(bytes);
        for (const [at, value] of edits) copy[at % copy.length] = value;
        return copy;
      });
    fc.assert(
      fc.property(
        corrupted.chain((bytes) => fc.tuple(fc.constant(bytes), chunkings(bytes))),
        fc.integer({ min: 8, max: 4096 }),
        ([bytes, chunks], frameMax) => {
          expect(readInChunks(chunks, frameMax)).toEqual(parseWhole(bytes, frameMax));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses a frame over frame-max from its header, even a header split across reads, before its payload arrives', () => {
    const reader = new FrameReader();
    readChunks(reader, [hex('03 00')], 4096);
    readChunks(reader, [hex('01 00')], 4096);
    expect(codecError(() => readChunks(reader, [hex('00 10 01')], 4096)).replyCode).toBe(501);
  });

  it('refuses an unknown frame type as soon as its first byte arrives after a whole frame', () => {
    const reader = new FrameReader();
    expect(codecError(() => readChunks(reader, [Buffer.concat([HEARTBEAT_FRAME, hex('09')])], 4096)).replyCode).toBe(501);
  });

  it('refuses a bad frame-end octet on a frame gathered from several reads', () => {
    const frame = Buffer.from(HEARTBEAT_FRAME);
    frame[7] = 0;
    const reader = new FrameReader();
    readChunks(reader, [frame.subarray(0, 3), frame.subarray(3, 7)], 4096);
    expect(codecError(() => readChunks(reader, [frame.subarray(7)], 4096)).replyCode).toBe(501);
  });

  it('reads each frame against the frame-max of its moment (a tune-ok raises it mid-read)', () => {
    let frameMax = 4096;
    const big = encodeBodyFrames(1, Buffer.alloc(5000), 8192);
    const frames: number[] = [];
    new FrameReader().push(Buffer.concat([HEARTBEAT_FRAME, big]), () => frameMax, (f) => {
      frames.push(f.payload.length);
      frameMax = 8192;
    });
    expect(frames).toEqual([0, 5000]);
  });

  it('leaves payloads it has handed out intact while later reads arrive (the connection queues frames when busy)', () => {
    const reader = new FrameReader();
    const kept = readChunks(reader, cutAt(stream, [5, 20, 21, 90, 150, 151, 200]), FRAME_MAX);
    readChunks(reader, [Buffer.alloc(3, FRAME_BODY), Buffer.alloc(4, 0)], FRAME_MAX);
    expect(asText(kept)).toEqual(expectedText);
  });

  it('copies each byte of a frame sent one byte at a time about once, not the whole backlog per read', () => {
    const frame = encodeBodyFrames(1, Buffer.alloc(16 * 1024, 7), 16 * 1024 + 8);
    let copied = 0;
    const concat = jest.spyOn(Buffer, 'concat');
    const copy = jest.spyOn(Buffer.prototype, 'copy');
    try {
      const reader = new FrameReader();
      const frames = readChunks(reader, Array.from({ length: frame.length }, (_, i) => frame.subarray(i, i + 1)), frame.length);
      expect(frames.map((f) => f.payload)).toEqual([Buffer.alloc(16 * 1024, 7)]);
      copied += concat.mock.results.reduce((sum, r) => sum + (r.value as Buffer).length, 0);
      copied += copy.mock.results.reduce((sum, r) => sum + (r.value as number), 0);
    } finally {
      concat.mockRestore();
      copy.mockRestore();
    }
    expect(copied).toBeLessThan(2 * frame.length);
  });
});
