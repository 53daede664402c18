/**
 * Hostile input: whatever bytes arrive, every decoder either returns a value
 * or throws CodecError - never a RangeError, TypeError or stack overflow, and
 * never loops without consuming input. Pure random bytes rarely get past the
 * first length check, so valid encodings are also mutated and truncated, and
 * random argument bytes are put behind every real class/method id.
 */
import fc from 'fast-check';
import { CodecError } from '../../../../src/amqp/codec/codec-error';
import { decodeBasicProperties, decodeContentHeader, encodeBasicProperties } from '../../../../src/amqp/codec/content';
import { decodeFieldTable, encodeFieldTable } from '../../../../src/amqp/codec/field-table';
import { encodeMethodFrame, parseFrame } from '../../../../src/amqp/codec/frame';
import { METHODS, MethodName, decodeMethod, encodeMethod } from '../../../../src/amqp/codec/methods.generated';
import { basicProperties, fieldTable, method } from './arbitraries';

const RUNS = 3000;

/** Runs decode; a CodecError counts as a clean refusal, anything else fails the test. */
function decodesOrRefuses<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (e) {
    if (e instanceof CodecError) return undefined;
    throw e;
  }
}

const randomBytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

/** A valid encoding with a few bytes overwritten and possibly cut short. */
function mutated(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc
    .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat())
    .map(([bytes, edits, cut]) => {
      const copy = Buffer.from(bytes);
      for (const [at, value] of edits) if (copy.length) copy[at % copy.length] = value;
      return copy.subarray(0, copy.length - (cut % 3 === 0 ? cut % (copy.length + 1) : 0));
    });
}

const methodPayloads = method.map((m) => encodeMethod(m.name, m.args as never));
const headerPayloads = basicProperties.chain((p) =>
  fc.nat().map((bodySize) => Buffer.concat([Buffer.from([0, 60, 0, 0]), u64(bodySize), encodeBasicProperties(p)])),
);
const tablePayloads = fieldTable.map(encodeFieldTable);
const frameStreams = fc
  .array(method, { minLength: 1, maxLength: 4 })
  .map((ms) => Buffer.concat(ms.map((m) => encodeMethodFrame(1, m.name, m.args as never))));

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** Real class/method ids followed by random argument bytes, to reach every argument decoder. */
const randomArgsForRealMethods = fc
  .tuple(fc.constantFrom(...(Object.keys(METHODS) as MethodName[])), randomBytes)
  .map(([name, args]) => {
    const id = Buffer.alloc(4);
    id.writeUInt16BE(METHODS[name].classId, 0);
    id.writeUInt16BE(METHODS[name].methodId, 2);
    return Buffer.concat([id, args]);
  });

describe('fuzz: decoders return a value or a CodecError, nothing else', () => {
  it('decodeMethod, on random, mutated and half-valid payloads; what decodes re-encodes to the same value', () => {
    fc.assert(
      fc.property(fc.oneof(randomBytes, mutated(methodPayloads), randomArgsForRealMethods), (bytes) => {
        const m = decodesOrRefuses(() => decodeMethod(bytes));
        if (m) expect(decodeMethod(encodeMethod(m.name, m.args as never))).toEqual(m);
      }),
      { numRuns: RUNS },
    );
  });

  it('decodeContentHeader and decodeBasicProperties; what decodes re-encodes to the same value', () => {
    fc.assert(
      fc.property(fc.oneof(randomBytes, mutated(headerPayloads)), (bytes) => {
        const header = decodesOrRefuses(() => decodeContentHeader(bytes));
        if (header) expect(decodeBasicProperties(encodeBasicProperties(header.properties))).toEqual(header.properties);
        decodesOrRefuses(() => decodeBasicProperties(bytes.subarray(12)));
      }),
      { numRuns: RUNS },
    );
  });

  it('decodeFieldTable; what decodes re-encodes to the same value', () => {
    fc.assert(
      fc.property(fc.oneof(randomBytes, mutated(tablePayloads)), (bytes) => {
        const decoded = decodesOrRefuses(() => decodeFieldTable(bytes));
        if (decoded) {
          expect(decoded.length).toBeLessThanOrEqual(bytes.length);
          expect(decodeFieldTable(encodeFieldTable(decoded.value)).value).toEqual(decoded.value);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('parseFrame, read in a loop over random and mutated streams, always makes progress and stays within the input', () => {
    fc.assert(
      fc.property(fc.oneof(randomBytes, mutated(frameStreams)), fc.integer({ min: 8, max: 1 << 20 }), (bytes, frameMax) => {
        decodesOrRefuses(() => {
          let offset = 0;
          for (let frame = parseFrame(bytes, offset, frameMax); frame; frame = parseFrame(bytes, offset, frameMax)) {
            expect(frame.end).toBeGreaterThan(offset);
            expect(frame.end).toBeLessThanOrEqual(bytes.length);
            expect(frame.payload.length + 8).toBeLessThanOrEqual(frameMax);
            offset = frame.end;
            if (frame.type === 1) decodesOrRefuses(() => decodeMethod(frame.payload));
          }
        });
      }),
      { numRuns: RUNS },
    );
  });
});
