import fc from 'fast-check';
import { readFileSync } from 'fs';
import { join } from 'path';
import { fromPlain, toPlain } from '../../../../src/amqp/codec/field-table-plain';
import { FieldTable } from '../../../../src/amqp/codec/field-table';
import {
  METHODS,
  Method,
  MethodArgs,
  MethodName,
  decodeMethod,
  encodeMethod,
} from '../../../../src/amqp/codec/methods.generated';
import { method, methodArgs } from './arbitraries';
import { amqplibDefs } from './amqplib-oracle';
import { CodecError } from '../../../../src/amqp/codec/codec-error';
import { codecError, hex } from './wire';

type Case = { [K in MethodName]: [K, MethodArgs[K], string] }[MethodName];

describe('method payloads on the wire', () => {
  const cases: Case[] = [
    ['connection.tune', { channelMax: 2047, frameMax: 131072, heartbeat: 60 }, '000a 001e 07ff 00020000 003c'],
    [
      'connection.close',
      { replyCode: 404, replyText: 'NOT_FOUND', classId: 50, methodId: 10 },
      '000a 0032 0194 09' + Buffer.from('NOT_FOUND').toString('hex') + '0032 000a',
    ],
    [
      'queue.declare',
      { ticket: 0, queue: 'q', passive: false, durable: true, exclusive: false, autoDelete: true, nowait: false, arguments: {} },
      // bits: durable = bit 1, auto-delete = bit 3 -> 0b1010
      '0032 000a 0000 0171 0a 00000000',
    ],
    [
      'queue.declare',
      {
        ticket: 0,
        queue: '',
        passive: true,
        durable: false,
        exclusive: true,
        autoDelete: false,
        nowait: true,
        arguments: { 'x-max-priority': { type: 'I', value: 10 } },
      },
      '0032 000a 0000 00 15 00000014 0e' + Buffer.from('x-max-priority').toString('hex') + '49 0000000a',
    ],
    [
      'basic.publish',
      { ticket: 0, exchange: 'ex', routingKey: 'rk', mandatory: true, immediate: false },
      '003c 0028 0000 026578 02726b 01',
    ],
    [
      'basic.deliver',
      { consumerTag: 'ct', deliveryTag: 1, redelivered: true, exchange: '', routingKey: 'k' },
      '003c 003c 026374 0000000000000001 01 00 016b',
    ],
    ['basic.ack', { deliveryTag: 2 ** 32 + 5, multiple: true }, '003c 0050 0000000100000005 01'],
    ['basic.nack', { deliveryTag: 7, multiple: false, requeue: true }, '003c 0078 0000000000000007 02'],
    ['basic.qos', { prefetchSize: 0, prefetchCount: 10, global: false }, '003c 000a 00000000 000a 00'],
    ['channel.open-ok', { channelId: Buffer.alloc(0) }, '0014 000b 00000000'],
    ['tx.select', {}, '005a 000a'],
  ];

  it.each(cases)('%s encodes to the expected bytes (%#)', (name, args, payloadHex) => {
    expect(encodeMethod(name, args as never).toString('hex')).toBe(hex(payloadHex).toString('hex'));
  });

  it.each(cases)('%s decodes from the expected bytes (%#)', (name, args, payloadHex) => {
    const { classId, methodId } = METHODS[name];
    expect(decodeMethod(hex(payloadHex))).toEqual({ classId, methodId, name, args });
  });

  it('fills reserved fields with their spec defaults when left out', () => {
    expect(encodeMethod('connection.open', { virtualHost: '/' }).toString('hex')).toBe(
      hex('000a 0028 012f 00 00').toString('hex'),
    );
    expect(encodeMethod('basic.publish', { exchange: '', routingKey: 'q', mandatory: false, immediate: false })).toEqual(
      hex('003c 0028 0000 00 0171 00'),
    );
  });

  it('decodes the spec JSON\'s odd exchange.unbind-ok id (40/51) by name', () => {
    expect(decodeMethod(hex('0028 0033')).name).toBe('exchange.unbind-ok');
  });
});

describe('method decoding refuses bad input with the right reply code', () => {
  it('answers an unknown method or class with COMMAND_INVALID, naming the ids', () => {
    const unknownMethod = codecError(() => decodeMethod(hex('003c 00ff')));
    expect([unknownMethod.replyCode, unknownMethod.classId, unknownMethod.methodId]).toEqual([503, 60, 255]);
    expect(codecError(() => decodeMethod(hex('0063 000a'))).replyCode).toBe(503);
  });

  it('answers trailing bytes after the last field with FRAME_ERROR', () => {
    const err = codecError(() => decodeMethod(hex('003c 0050 0000000000000001 00 ff')));
    expect([err.replyCode, err.classId, err.methodId]).toEqual([501, 60, 80]);
  });

  it('answers a delivery tag above 2^53 - 1 with SYNTAX_ERROR rather than rounding it', () => {
    expect(codecError(() => decodeMethod(hex('003c 0050 0020000000000000 00'))).replyCode).toBe(502);
    expect(decodeMethod(hex('003c 0050 001fffffffffffff 00')).args).toEqual({
      deliveryTag: Number.MAX_SAFE_INTEGER,
      multiple: false,
    });
  });

  it('answers a short string that is not valid UTF-8 with SYNTAX_ERROR, accepting valid multi-byte ones', () => {
    const publish = (keyHex: string): Buffer => hex(`003c 0028 0000 00 ${(keyHex.length / 2).toString(16).padStart(2, '0')}${keyHex} 00`);
    expect(codecError(() => decodeMethod(publish('ff'))).replyCode).toBe(502);
    expect(codecError(() => decodeMethod(publish('c3'))).replyCode).toBe(502); // cut multi-byte sequence
    expect(decodeMethod(publish('c3a9'))).toMatchObject({ args: { routingKey: 'é' } });
  });

  it('fails fast on a long string claiming 4 GB inside a small payload', () => {
    // connection.start-ok: client-properties {}, mechanism "PLAIN", then response claiming 0xffffffff bytes.
    const payload = hex('000a 000b 00000000 05' + Buffer.from('PLAIN').toString('hex') + 'ffffffff 00');
    const allocUnsafe = jest.spyOn(Buffer, 'allocUnsafe');
    try {
      expect(codecError(() => decodeMethod(payload)).replyCode).toBe(501);
      expect(allocUnsafe).not.toHaveBeenCalled();
    } finally {
      allocUnsafe.mockRestore();
    }
  });

  it('answers every truncation of every kind of method with FRAME_ERROR', () => {
    fc.assert(
      fc.property(method, (m) => {
        const payload = encodeMethod(m.name, m.args as never);
        for (let cut = 0; cut < payload.length; cut++) {
          const err = codecError(() => decodeMethod(payload.subarray(0, cut)));
          expect(err.replyCode).toBe(501);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('method encoding refuses what the wire cannot carry', () => {
  it('refuses a short string over 255 bytes', () => {
    const args = { exchange: '', routingKey: 'r'.repeat(256), mandatory: false, immediate: false };
    expect(codecError(() => encodeMethod('basic.publish', args)).replyCode).toBe(541);
    expect(() => encodeMethod('basic.publish', { ...args, routingKey: 'é'.repeat(128) })).toThrow(CodecError);
    expect(encodeMethod('basic.publish', { ...args, routingKey: 'r'.repeat(255) }).length).toBe(4 + 2 + 1 + 256 + 1);
  });

  it.each<[string, () => unknown]>([
    ['a short out of range', () => encodeMethod('connection.tune', { channelMax: 65536, frameMax: 0, heartbeat: 0 })],
    ['a negative long', () => encodeMethod('connection.tune', { channelMax: 0, frameMax: -1, heartbeat: 0 })],
    ['a fractional longlong', () => encodeMethod('basic.ack', { deliveryTag: 1.5, multiple: false })],
    ['a missing string', () => encodeMethod('queue.delete', { queue: undefined as never, ifUnused: false, ifEmpty: false, nowait: false })],
    ['a string where a Buffer goes', () => encodeMethod('connection.secure', { challenge: 'x' as never })],
    ['an unknown method', () => encodeMethod('queue.explode' as never, {} as never)],
  ])('refuses %s', (_name, encode) => {
    expect(codecError(encode).replyCode).toBe(541);
  });
});

describe('method round trips', () => {
  it('decode(encode(args)) equals the args, for random arguments of every method', () => {
    fc.assert(
      fc.property(method, (m) => {
        expect(decodeMethod(encodeMethod(m.name, m.args as never))).toEqual(m);
      }),
      { numRuns: 2000 },
    );
  });

  it('encode(decode(bytes)) reproduces the bytes exactly', () => {
    fc.assert(
      fc.property(method, (m) => {
        const bytes = encodeMethod(m.name, m.args as never);
        const again = decodeMethod(bytes);
        expect(encodeMethod(again.name, again.args as never).equals(bytes)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('covers every method in the spec', () => {
    const spec = JSON.parse(readFileSync(join(__dirname, '../../../../spec/amqp-rabbitmq-0.9.1.json'), 'utf8'));
    const specNames = spec.classes.flatMap((c: { name: string; methods: { name: string }[] }) =>
      c.methods.map((m) => `${c.name}.${m.name}`),
    );
    expect(Object.keys(METHODS).sort()).toEqual(specNames.sort());
    expect(specNames).toHaveLength(66);
    for (const name of Object.keys(METHODS) as MethodName[]) {
      const args = fc.sample(methodArgs(name), { numRuns: 1, seed: 1 })[0];
      expect(decodeMethod(encodeMethod(name, args as never)).args).toEqual(args);
    }
  });
});

describe('agreement with amqplib', () => {
  /** Tables amqplib decodes back to the same plain values: strings, int32s, booleans, nested tables. */
  const simpleTable = fc
    .dictionary(
      fc.string({ maxLength: 10 }).filter((k) => !/^(0|[1-9]\d*)$/.test(k)),
      fc.oneof(fc.string(), fc.integer(), fc.boolean()),
      { maxKeys: 4, noNullPrototype: true },
    )
    .map((plain) => fromPlain(plain));

  const withSimpleTables = fc.constantFrom(...(Object.keys(METHODS) as MethodName[])).chain((name) =>
    methodArgs(name).chain((args) => {
      const tableFields = METHODS[name].fields.filter((f) => f.type === 'table').map((f) => f.name);
      const tables = fc.tuple(...tableFields.map(() => simpleTable));
      return tables.map((ts) => {
        const out: Record<string, unknown> = { ...args };
        tableFields.forEach((f, i) => (out[f] = ts[i]));
        return { name, args: out };
      });
    }),
  );

  const amqplibId = (name: MethodName): number => METHODS[name].classId * 0x10000 + METHODS[name].methodId;
  const plainTables = (name: MethodName, args: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...args };
    for (const f of METHODS[name].fields) if (f.type === 'table') out[f.name] = toPlain(out[f.name] as FieldTable);
    return out;
  };

  it('amqplib decodes our bytes to the same arguments', () => {
    fc.assert(
      fc.property(withSimpleTables, ({ name, args }) => {
        const ours = encodeMethod(name, args as never);
        expect(amqplibDefs.decode(amqplibId(name), ours.subarray(4))).toEqual(plainTables(name, args));
      }),
      { numRuns: 1000 },
    );
  });

  it('we decode amqplib\'s bytes to the same arguments', () => {
    fc.assert(
      fc.property(withSimpleTables, ({ name, args }) => {
        const frame: Buffer = amqplibDefs.encodeMethod(amqplibId(name), 0, plainTables(name, args));
        const decoded = decodeMethod(frame.subarray(7, frame.length - 1)) as Method;
        expect(plainTables(name, decoded.args as Record<string, unknown>)).toEqual(plainTables(name, args));
      }),
      { numRuns: 1000 },
    );
  });
});
