import fc from 'fast-check';
import {
  FieldTable,
  FieldValue,
  MAX_NESTING_DEPTH,
  decodeFieldTable,
  encodeFieldTable,
} from '../../../../src/amqp/codec/field-table';
import { fromPlain, toPlain } from '../../../../src/amqp/codec/field-table-plain';
import { fieldTable } from './arbitraries';
import { expectCodecError, hex } from './wire';

/** A one-entry table {k: value}: 4-byte length, key "k", then the tagged value. */
function oneEntryTable(valueHex: string): Buffer {
  const entry = Buffer.concat([hex('016b'), hex(valueHex)]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(entry.length);
  return Buffer.concat([len, entry]);
}

describe('field table values on the wire', () => {
  const cases: [string, FieldValue, string][] = [
    ['t true', { type: 't', value: true }, '74 01'],
    ['t false', { type: 't', value: false }, '74 00'],
    ['b int8', { type: 'b', value: -2 }, '62 fe'],
    ['B uint8', { type: 'B', value: 200 }, '42 c8'],
    ['s int16', { type: 's', value: -2 }, '73 fffe'],
    ['u uint16', { type: 'u', value: 65535 }, '75 ffff'],
    ['I int32', { type: 'I', value: -1 }, '49 ffffffff'],
    ['i uint32', { type: 'i', value: 0xffff_ffff }, '69 ffffffff'],
    ['l int64 small', { type: 'l', value: -2 }, '6c fffffffffffffffe'],
    ['l int64 max', { type: 'l', value: 2n ** 63n - 1n }, '6c 7fffffffffffffff'],
    ['f float32', { type: 'f', value: 1.5 }, '66 3fc00000'],
    ['d float64', { type: 'd', value: 1.5 }, '64 3ff8000000000000'],
    ['D decimal', { type: 'D', value: { scale: 2, digits: 12345 } }, '44 02 00003039'],
    ['S utf-8 string', { type: 'S', value: 'hé' }, '53 00000003 68c3a9'],
    ['S bytes that are not UTF-8', { type: 'S', value: Buffer.from([0xff]) }, '53 00000001 ff'],
    ['x byte array', { type: 'x', value: Buffer.from([1, 2]) }, '78 00000002 0102'],
    [
      'A array',
      { type: 'A', value: [{ type: 'I', value: 1 }, { type: 'S', value: 'a' }] },
      '41 0000000b 49 00000001 53 00000001 61',
    ],
    ['T timestamp', { type: 'T', value: 1_700_000_000 }, '54 000000006553f100'],
    ['T timestamp beyond 2^53', { type: 'T', value: 2n ** 64n - 1n }, '54 ffffffffffffffff'],
    ['F nested table', { type: 'F', value: { x: { type: 'V', value: null } } }, '46 00000003 0178 56'],
    ['V void', { type: 'V', value: null }, '56'],
  ];

  it.each(cases)('%s encodes to the expected bytes', (_name, value, valueHex) => {
    expect(encodeFieldTable({ k: value }).toString('hex')).toBe(oneEntryTable(valueHex).toString('hex'));
  });

  it.each(cases)('%s decodes from the expected bytes', (_name, value, valueHex) => {
    const bytes = oneEntryTable(valueHex);
    expect(decodeFieldTable(bytes)).toEqual({ value: { k: value }, length: bytes.length });
  });

  it('keeps entries in order and decodes at an offset, reporting the bytes used', () => {
    const table: FieldTable = { b: { type: 'I', value: 1 }, a: { type: 't', value: false } };
    const bytes = Buffer.concat([hex('ffff'), encodeFieldTable(table), hex('ee')]);
    expect(bytes.toString('hex')).toBe('ffff' + '0000000b' + '0162' + '4900000001' + '0161' + '7400' + 'ee');
    const decoded = decodeFieldTable(bytes, 2);
    expect(decoded.length).toBe(15);
    expect(Object.keys(decoded.value)).toEqual(['b', 'a']);
  });

  it('stores a key named __proto__ as an ordinary entry', () => {
    const table = hex('0000000f 09' + Buffer.from('__proto__').toString('hex') + '49 00000007');
    const decoded = decodeFieldTable(table).value;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value).toEqual({ type: 'I', value: 7 });
    expect(encodeFieldTable(decoded).equals(table)).toBe(true);
  });
});

describe('field table decoding refuses bad input with a CodecError', () => {
  it('rejects an unknown type tag as a syntax error', () => {
    expectCodecError(() => decodeFieldTable(oneEntryTable('5a 00')), 502); // 'Z'
  });

  it('rejects a table whose length claims more bytes than the buffer has, without allocating', () => {
    expectCodecError(() => decodeFieldTable(hex('ffffffff 016b 56')), 501);
  });

  it('rejects a long string claiming 4 GB inside a small buffer', () => {
    expectCodecError(() => decodeFieldTable(oneEntryTable('53 ffffffff 61')), 501);
  });

  it('rejects an entry that runs past the declared table length', () => {
    // Table length says 4, but the I value needs 7 bytes after the key.
    expectCodecError(() => decodeFieldTable(hex('00000004 016b 49 00000001')), 502);
  });

  it('rejects every truncation of a valid table', () => {
    const bytes = encodeFieldTable(fromPlain({ a: 1, b: 'two', c: [true, null], d: { e: 2.5 } }));
    for (let cut = 0; cut < bytes.length; cut++) {
      expectCodecError(() => decodeFieldTable(bytes.subarray(0, cut)), 501);
    }
  });

  it(`accepts nesting up to ${MAX_NESTING_DEPTH} levels and refuses deeper, instead of overflowing the stack`, () => {
    const nested = (depth: number): FieldTable => {
      let table: FieldTable = {};
      for (let i = 0; i < depth; i++) table = { n: { type: 'F', value: table } };
      return table;
    };
    const deepestAllowed = encodeFieldTable(nested(MAX_NESTING_DEPTH));
    expect(decodeFieldTable(deepestAllowed).length).toBe(deepestAllowed.length);
    expectCodecError(() => encodeFieldTable(nested(MAX_NESTING_DEPTH + 1)), 541);
    // One level more, built by hand since the encoder refuses it: {n: F <deepestAllowed>}.
    const tooDeep = Buffer.concat([Buffer.alloc(4), hex('016e 46'), deepestAllowed]);
    tooDeep.writeUInt32BE(tooDeep.length - 4);
    expectCodecError(() => decodeFieldTable(tooDeep), 502);
    expectCodecError(() => decodeFieldTable(deeplyNestedArrays(100_000)), 502);
  });
});

/** `depth` arrays nested inside each other, as a hostile peer could send in a few hundred KB. */
function deeplyNestedArrays(depth: number): Buffer {
  const buf = Buffer.alloc(4 + 2 + depth * 5);
  let o = 0;
  o = buf.writeUInt32BE(buf.length - 4, o);
  buf[o++] = 1;
  buf[o++] = 0x6b;
  for (let i = 0; i < depth; i++) {
    buf[o++] = 0x41; // 'A'
    o = buf.writeUInt32BE(buf.length - o - 4, o);
  }
  return buf;
}

describe('field table encoding refuses what the wire cannot carry', () => {
  it.each<[string, FieldValue]>([
    ['b out of range', { type: 'b', value: 128 }],
    ['u negative', { type: 'u', value: -1 }],
    ['I fractional', { type: 'I', value: 1.5 }],
    ['l beyond int64', { type: 'l', value: 2n ** 63n }],
    ['T negative', { type: 'T', value: -1 }],
    ['D scale over 255', { type: 'D', value: { scale: 300, digits: 1 } }],
  ])('%s', (_name, value) => {
    expectCodecError(() => encodeFieldTable({ k: value }), 541);
  });

  it('refuses a key longer than 255 bytes', () => {
    expectCodecError(() => encodeFieldTable({ ['k'.repeat(256)]: { type: 'V', value: null } }), 541);
  });

  it('refuses an unknown tag', () => {
    expectCodecError(() => encodeFieldTable({ k: { type: 'Z', value: 1 } as unknown as FieldValue }), 541);
  });
});

describe('field table round trips', () => {
  it('decode(encode(table)) equals the table', () => {
    fc.assert(
      fc.property(fieldTable, (table) => {
        const bytes = encodeFieldTable(table);
        expect(decodeFieldTable(bytes)).toEqual({ value: table, length: bytes.length });
      }),
      { numRuns: 500 },
    );
  });

  it('encode(decode(bytes)) reproduces the bytes exactly', () => {
    fc.assert(
      fc.property(fieldTable, (table) => {
        const bytes = encodeFieldTable(table);
        expect(encodeFieldTable(decodeFieldTable(bytes).value).equals(bytes)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('plain values', () => {
  it('infers tags the way amqplib does', () => {
    const date = new Date('2024-01-02T03:04:05.000Z');
    expect(
      fromPlain({
        bool: true,
        int: 5,
        negative: -0x8000_0000,
        big: 0x8000_0000,
        unsafe: 2 ** 60,
        huge: 1e300,
        fraction: 0.5,
        bigint: 7n,
        str: 'hi',
        buf: Buffer.from('ab'),
        arr: [1, 'a'],
        nested: { x: null },
        nothing: null,
        date,
        skipped: undefined,
        tagged: { type: 'u', value: 9 },
      }),
    ).toEqual({
      bool: { type: 't', value: true },
      int: { type: 'I', value: 5 },
      negative: { type: 'I', value: -0x8000_0000 },
      big: { type: 'l', value: 0x8000_0000 },
      unsafe: { type: 'l', value: 2n ** 60n },
      huge: { type: 'd', value: 1e300 },
      fraction: { type: 'd', value: 0.5 },
      bigint: { type: 'l', value: 7 },
      str: { type: 'S', value: 'hi' },
      buf: { type: 'x', value: Buffer.from('ab') },
      arr: { type: 'A', value: [{ type: 'I', value: 1 }, { type: 'S', value: 'a' }] },
      nested: { type: 'F', value: { x: { type: 'V', value: null } } },
      nothing: { type: 'V', value: null },
      date: { type: 'T', value: date.getTime() / 1000 },
      tagged: { type: 'u', value: 9 },
    });
  });

  it('treats an object with more than type and value as a nested table, not a tagged value', () => {
    expect(fromPlain({ o: { type: 'S', value: 'x', extra: 1 } }).o.type).toBe('F');
  });

  it('gives JS values back, keeping decimals and out-of-range timestamps tagged', () => {
    const table: FieldTable = {
      n: { type: 'b', value: -1 },
      l: { type: 'l', value: 2n ** 60n },
      s: { type: 'S', value: 'x' },
      t: { type: 'T', value: 60 },
      far: { type: 'T', value: 2n ** 63n },
      d: { type: 'D', value: { scale: 1, digits: 5 } },
      a: { type: 'A', value: [{ type: 'V', value: null }, { type: 'F', value: { z: { type: 't', value: true } } }] },
    };
    expect(toPlain(table)).toEqual({
      n: -1,
      l: 2n ** 60n,
      s: 'x',
      t: new Date(60_000),
      far: { type: 'T', value: 2n ** 63n },
      d: { type: 'D', value: { scale: 1, digits: 5 } },
      a: [null, { z: true }],
    });
  });

  it('refuses values a table cannot hold, and cycles', () => {
    expectCodecError(() => fromPlain({ f: () => 1 }), 541);
    expectCodecError(() => fromPlain({ d: new Date(-1) }), 541);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectCodecError(() => fromPlain(cyclic), 541);
  });

  it('fromPlain(toPlain(table)) keeps tables built from inferred tags', () => {
    const plainish = fc.letrec((tie) => ({
      value: fc.oneof(
        { maxDepth: 3 },
        fc.boolean(),
        fc.integer(),
        fc.double({ noInteger: true }),
        fc.string(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        tie('table'),
      ),
      table: fc.dictionary(fc.string().filter((k) => !/^(0|[1-9]\d*)$/.test(k)), tie('value'), {
        maxKeys: 4,
        noNullPrototype: true,
      }),
    })).table;
    fc.assert(
      fc.property(plainish, (plain) => {
        const table = fromPlain(plain as Record<string, unknown>);
        expect(fromPlain(toPlain(table))).toEqual(table);
        expect(toPlain(table)).toEqual(plain);
      }),
    );
  });
});
