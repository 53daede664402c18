import { FRAME_MIN_SIZE } from '../../../../src/amqp/codec/constants.generated';
import {
  HEARTBEAT_FRAME,
  PROTOCOL_HEADER,
  encodeBodyFrames,
  encodeContentHeaderFrame,
  encodeMethodFrame,
  parseFrame,
} from '../../../../src/amqp/codec/frame';
import { encodeBasicProperties } from '../../../../src/amqp/codec/content';
import { fromPlain } from '../../../../src/amqp/codec/field-table-plain';
import { codecError, hex } from './wire';

describe('frames on the wire', () => {
  it.each<[string, Buffer, string]>([
    ['protocol header', PROTOCOL_HEADER, '414d5150 00000901'],
    ['heartbeat', HEARTBEAT_FRAME, '08 0000 00000000 ce'],
    [
      'method frame: connection.tune on channel 0',
      encodeMethodFrame(0, 'connection.tune', { channelMax: 2047, frameMax: 131072, heartbeat: 60 }),
      '01 0000 0000000c 000a001e 07ff 00020000 003c ce',
    ],
    [
      'method frame: basic.ack on channel 258',
      encodeMethodFrame(258, 'basic.ack', { deliveryTag: 3, multiple: false }),
      '01 0102 0000000d 003c0050 0000000000000003 00 ce',
    ],
    [
      'content header frame with no properties',
      encodeContentHeaderFrame(1, 0, {}),
      '02 0001 0000000e 003c 0000 0000000000000000 0000 ce',
    ],
    [
      'content header frame: content-type, headers, delivery-mode',
      encodeContentHeaderFrame(1, 5, { contentType: 'text/plain', headers: fromPlain({ a: 1 }), deliveryMode: 2 }),
      '02 0001 00000025 003c 0000 0000000000000005 b000' +
        '0a' + Buffer.from('text/plain').toString('hex') +
        '00000007 0161 49 00000001' +
        '02 ce',
    ],
    [
      'content header frame: timestamp and cluster-id (the last flag bit, 0x0004)',
      encodeContentHeaderFrame(1, 1, { timestamp: 1_700_000_000, clusterId: 'c' }),
      '02 0001 00000018 003c 0000 0000000000000001 0044 000000006553f100 0163 ce',
    ],
    ['body frames: 10 bytes under frame-max 12 split 4 + 4 + 2', encodeBodyFrames(7, Buffer.from('0123456789'), 12),
      '03 0007 00000004 30313233 ce  03 0007 00000004 34353637 ce  03 0007 00000002 3839 ce'],
    ['body frames: an empty body is no frames at all', encodeBodyFrames(7, Buffer.alloc(0), 12), ''],
  ])('%s', (_name, actual, expectedHex) => {
    expect(actual.toString('hex')).toBe(hex(expectedHex).toString('hex'));
  });

  it('passes pre-encoded properties through byte for byte', () => {
    const properties = { contentType: 'application/json', headers: fromPlain({ retries: 3, tags: ['a', 'b'] }), priority: 9 };
    const fromFields = encodeContentHeaderFrame(3, 42, properties);
    const fromBytes = encodeContentHeaderFrame(3, 42, encodeBasicProperties(properties));
    expect(fromBytes.equals(fromFields)).toBe(true);
  });

  it('refuses channels outside 0..65535 and frame-max too small for any body', () => {
    expect(codecError(() => encodeMethodFrame(65536, 'tx.select', {})).replyCode).toBe(541);
    expect(codecError(() => encodeBodyFrames(1, Buffer.from('x'), 8)).replyCode).toBe(541);
  });
});

describe('parseFrame', () => {
  const tune = encodeMethodFrame(0, 'connection.tune', { channelMax: 0, frameMax: 131072, heartbeat: 60 });

  it('returns the frame with its payload as a view and the offset of the next frame', () => {
    const stream = Buffer.concat([hex('aabb'), tune, HEARTBEAT_FRAME]);
    const frame = parseFrame(stream, 2, FRAME_MIN_SIZE);
    expect(frame).toMatchObject({ type: 1, channel: 0, end: 2 + tune.length });
    expect(frame!.payload.toString('hex')).toBe('000a001e 0000 00020000 003c'.replace(/ /g, ''));
    expect(frame!.payload.buffer).toBe(stream.buffer); // no copy
    expect(parseFrame(stream, frame!.end, FRAME_MIN_SIZE)).toMatchObject({ type: 8, channel: 0, end: stream.length });
  });

  it('asks for more bytes (null) for every incomplete prefix of a frame, and at the end of input', () => {
    for (let cut = 0; cut < tune.length; cut++) {
      expect(parseFrame(tune.subarray(0, cut), 0, FRAME_MIN_SIZE)).toBeNull();
    }
    expect(parseFrame(tune, tune.length, FRAME_MIN_SIZE)).toBeNull();
  });

  it('refuses an unknown frame type as soon as its first byte arrives', () => {
    expect(codecError(() => parseFrame(hex('04'), 0, FRAME_MIN_SIZE)).replyCode).toBe(501);
    // A client re-sending the protocol header mid-connection: 'A' is no frame type.
    expect(codecError(() => parseFrame(PROTOCOL_HEADER, 0, FRAME_MIN_SIZE)).replyCode).toBe(501);
  });

  it('refuses a bad frame-end octet', () => {
    const bad = Buffer.from(tune);
    bad[bad.length - 1] = 0;
    expect(codecError(() => parseFrame(bad, 0, FRAME_MIN_SIZE)).replyCode).toBe(501);
  });

  it('refuses a frame over frame-max from its 7-byte header, before any payload arrives', () => {
    const header = hex('03 0001 ffffffff');
    expect(codecError(() => parseFrame(header, 0, 131072)).replyCode).toBe(501);
    // frame-max counts the whole frame: payload + 8 bytes.
    const atLimit = Buffer.concat([hex('03 0001 00000ff8'), Buffer.alloc(0xff8), hex('ce')]);
    expect(parseFrame(atLimit, 0, 4096)?.payload.length).toBe(4088);
    expect(codecError(() => parseFrame(atLimit.subarray(0, 7), 0, 4095)).replyCode).toBe(501);
  });
});
