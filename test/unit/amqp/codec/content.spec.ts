import fc from 'fast-check';
import { FRAME_BODY, FRAME_HEADER, FRAME_METHOD } from '../../../../src/amqp/codec/constants.generated';
import {
  decodeBasicProperties,
  decodeContentHeader,
  encodeBasicProperties,
  encodeContentCommand,
  encodeContentCommandFrames,
  encodeDelivery,
} from '../../../../src/amqp/codec/content';
import { fromPlain, toPlain } from '../../../../src/amqp/codec/field-table-plain';
import { FieldTable } from '../../../../src/amqp/codec/field-table';
import {
  encodeBodyFrames,
  encodeContentHeaderFrame,
  encodeMethodFrame,
} from '../../../../src/amqp/codec/frame';
import { BasicDeliver, BasicProperties, decodeMethod } from '../../../../src/amqp/codec/methods.generated';
import { amqplibDefs } from './amqplib-oracle';
import { basicProperties, longlong, shortstr } from './arbitraries';
import { codecError, hex, readAllFrames } from './wire';

describe('content header payloads', () => {
  // class 60, weight 0, body size 5, flags: content-type | headers | delivery-mode
  const payload = hex(
    '003c 0000 0000000000000005 b000 0a' + Buffer.from('text/plain').toString('hex') + '00000007 0161 49 00000001 02',
  );

  it('decodes class, body size and properties, and hands back the property bytes as a view', () => {
    const header = decodeContentHeader(payload);
    expect(header).toEqual({
      classId: 60,
      bodySize: 5,
      properties: { contentType: 'text/plain', headers: { a: { type: 'I', value: 1 } }, deliveryMode: 2 },
      encodedProperties: payload.subarray(12),
    });
    expect(header.encodedProperties.buffer).toBe(payload.buffer);
    expect(decodeBasicProperties(header.encodedProperties)).toEqual(header.properties);
  });

  it.each<[string, string, number]>([
    ['a class that carries no content', '0032 0000 0000000000000000 0000', 505],
    ['the continuation flag bit', '003c 0000 0000000000000000 0001', 502],
    ['an undefined flag bit', '003c 0000 0000000000000000 0002', 502],
    ['a body size above 2^53 - 1', '003c 0000 0020000000000000 0000', 502],
    ['trailing bytes', '003c 0000 0000000000000000 0000 00', 501],
    ['a flagged property that is missing', '003c 0000 0000000000000000 8000', 501],
  ])('refuses %s', (_name, bytes, replyCode) => {
    expect(codecError(() => decodeContentHeader(hex(bytes))).replyCode).toBe(replyCode);
  });

  it('refuses every truncation with FRAME_ERROR', () => {
    for (let cut = 0; cut < payload.length; cut++) {
      expect(codecError(() => decodeContentHeader(payload.subarray(0, cut))).replyCode).toBe(501);
    }
  });

  it('round trips random properties, value for value and byte for byte', () => {
    fc.assert(
      fc.property(basicProperties, (properties) => {
        const bytes = encodeBasicProperties(properties);
        const decoded = decodeBasicProperties(bytes);
        expect(decoded).toEqual(properties);
        expect(encodeBasicProperties(decoded).equals(bytes)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('treats null like an absent property', () => {
    const withNulls = { contentType: null, priority: 1 } as unknown as BasicProperties;
    expect(decodeBasicProperties(encodeBasicProperties(withNulls))).toEqual({ priority: 1 });
  });

  it('agrees with amqplib in both directions', () => {
    const simpleHeaders = fc
      .dictionary(fc.string({ maxLength: 8 }).filter((k) => !/^(0|[1-9]\d*)$/.test(k)), fc.oneof(fc.string(), fc.integer()), {
        maxKeys: 3,
        noNullPrototype: true,
      })
      .map((plain) => fromPlain(plain));
    const properties = fc.record(
      { contentType: shortstr, headers: simpleHeaders, deliveryMode: fc.constantFrom(1, 2), timestamp: fc.nat(), appId: shortstr },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(properties, fc.nat(), (props, bodySize) => {
        const plainProps = { ...props, headers: props.headers && toPlain(props.headers) };
        const ours = encodeContentHeaderFrame(1, bodySize, props);
        const theirs: Buffer = amqplibDefs.encodeProperties(60, 1, bodySize, plainProps);
        expect(amqplibDefs.decode(60, ours.subarray(19, ours.length - 1))).toMatchObject(
          JSON.parse(JSON.stringify(plainProps)),
        );
        const decoded = decodeContentHeader(theirs.subarray(7, theirs.length - 1));
        expect(decoded.bodySize).toBe(bodySize);
        expect({ ...decoded.properties, headers: decoded.properties.headers && toPlain(decoded.properties.headers as FieldTable) }).toEqual(
          JSON.parse(JSON.stringify(plainProps)),
        );
      }),
    );
  });
});

describe('encoding whole content commands', () => {
  const deliver: BasicDeliver = { consumerTag: 'ctag', deliveryTag: 42, redelivered: false, exchange: 'ex', routingKey: 'rk' };
  const properties: BasicProperties = { contentType: 'text/plain', headers: fromPlain({ n: 1 }), deliveryMode: 2 };

  it('encodeDelivery is the method frame, header frame and body frames back to back', () => {
    const body = Buffer.from('hello, this body spans several frames');
    const frameMax = 20;
    const expected = Buffer.concat([
      encodeMethodFrame(3, 'basic.deliver', deliver),
      encodeContentHeaderFrame(3, body.length, properties),
      encodeBodyFrames(3, body, frameMax),
    ]);
    expect(encodeDelivery(3, deliver, properties, body, frameMax).equals(expected)).toBe(true);
    expect(encodeDelivery(3, deliver, encodeBasicProperties(properties), body, frameMax).equals(expected)).toBe(true);
    expect(encodeContentCommand(3, 'basic.deliver', deliver, properties, body, frameMax).equals(expected)).toBe(true);
  });

  it('an empty body is a method frame and a header frame only', () => {
    const frames = readAllFrames(encodeDelivery(1, deliver, {}, Buffer.alloc(0), 4096));
    expect(frames.map((f) => f.type)).toEqual([FRAME_METHOD, FRAME_HEADER]);
  });

  it('any delivery reads back as the same method, properties and body, in frames within frame-max', () => {
    const arbitraryDeliver = fc.record({
      consumerTag: shortstr,
      deliveryTag: longlong,
      redelivered: fc.boolean(),
      exchange: shortstr,
      routingKey: shortstr,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        arbitraryDeliver,
        basicProperties,
        fc.uint8Array({ maxLength: 300 }),
        fc.oneof(fc.integer({ min: 9, max: 40 }), fc.constant(4096)),
        (channel, args, props, bodyBytes, frameMax) => {
          const body = Buffer.from(bodyBytes);
          const frames = readAllFrames(encodeDelivery(channel, args, props, body, frameMax), 1 << 20);
          const [method, header, ...bodies] = frames;
          expect(frames.every((f) => f.channel === channel)).toBe(true);
          expect(decodeMethod(method.payload)).toMatchObject({ name: 'basic.deliver', args });
          expect(header.type).toBe(FRAME_HEADER);
          expect(decodeContentHeader(header.payload)).toMatchObject({ bodySize: body.length, properties: props });
          expect(bodies.every((f) => f.type === FRAME_BODY && f.payload.length + 8 <= frameMax && f.payload.length > 0)).toBe(true);
          expect(Buffer.concat(bodies.map((f) => f.payload)).equals(body)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('encodeContentCommandFrames produces the same bytes without copying the body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 9, max: 64 }), (bodyBytes, frameMax) => {
        const body = Buffer.alloc(bodyBytes.length); // unpooled, so its ArrayBuffer is its own
        body.set(bodyBytes);
        const parts = encodeContentCommandFrames(5, 'basic.get-ok', { deliveryTag: 1, redelivered: true, exchange: '', routingKey: 'q', messageCount: 0 }, properties, body, frameMax);
        const whole = encodeContentCommand(5, 'basic.get-ok', { deliveryTag: 1, redelivered: true, exchange: '', routingKey: 'q', messageCount: 0 }, properties, body, frameMax);
        expect(Buffer.concat(parts).equals(whole)).toBe(true);
        const bodyParts = parts.filter((p) => p.buffer === body.buffer && body.length > 0);
        expect(bodyParts.reduce((n, p) => n + p.length, 0)).toBe(body.length);
      }),
    );
  });
});
