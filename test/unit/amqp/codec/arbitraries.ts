/**
 * fast-check arbitraries for the codec's values, driven by the spec metadata
 * (METHODS) so every method and field type is covered without listing them.
 * Values are generated in canonical form - the form the decoder returns - so
 * decode(encode(x)) can be compared with x directly.
 */
import { isUtf8 } from 'buffer';
import fc from 'fast-check';
import { FieldTable, FieldValue } from '../../../../src/amqp/codec/field-table';
import {
  AmqpType,
  BasicProperties,
  Method,
  METHODS,
  MethodName,
} from '../../../../src/amqp/codec/methods.generated';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export const shortstr = fc.oneof(
  { weight: 10, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(255)) },
  { weight: 1, arbitrary: fc.constant('é'.repeat(127)) },
);
export const bytes = fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a));
export const octet = fc.integer({ min: 0, max: 0xff });
export const short = fc.integer({ min: 0, max: 0xffff });
export const long = fc.integer({ min: 0, max: 0xffff_ffff });
export const longlong = fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 0, max: MAX_SAFE }));
/** Unsigned 64-bit in the decoder's form: number while safe, bigint above. */
export const uint64Exact: fc.Arbitrary<number | bigint> = fc.oneof(
  fc.integer({ min: 0, max: MAX_SAFE }),
  fc.bigInt({ min: BigInt(MAX_SAFE) + 1n, max: 2n ** 64n - 1n }),
);
const int64Exact: fc.Arbitrary<number | bigint> = fc.oneof(
  fc.integer({ min: -MAX_SAFE, max: MAX_SAFE }),
  fc.bigInt({ min: -(2n ** 63n), max: -BigInt(MAX_SAFE) - 1n }),
  fc.bigInt({ min: BigInt(MAX_SAFE) + 1n, max: 2n ** 63n - 1n }),
);

/** Table keys: JS objects move array-index keys ("0", "7") to the front, so they cannot keep wire order. */
const tableKey = shortstr.filter((k) => !/^(0|[1-9]\d*)$/.test(k));

const scalarFieldValue: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.boolean().map((value) => ({ type: 't', value }) as const),
  fc.integer({ min: -0x80, max: 0x7f }).map((value) => ({ type: 'b', value }) as const),
  fc.integer({ min: 0, max: 0xff }).map((value) => ({ type: 'B', value }) as const),
  fc.integer({ min: -0x8000, max: 0x7fff }).map((value) => ({ type: 's', value }) as const),
  fc.integer({ min: 0, max: 0xffff }).map((value) => ({ type: 'u', value }) as const),
  fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }).map((value) => ({ type: 'I', value }) as const),
  fc.integer({ min: 0, max: 0xffff_ffff }).map((value) => ({ type: 'i', value }) as const),
  int64Exact.map((value) => ({ type: 'l', value }) as const),
  fc.float().map((value) => ({ type: 'f', value }) as const),
  fc.double().map((value) => ({ type: 'd', value }) as const),
  fc.record({ scale: octet, digits: long }).map((value) => ({ type: 'D', value }) as const),
  fc.string({ unit: 'binary', maxLength: 30 }).map((value) => ({ type: 'S', value }) as const),
  bytes.filter((b) => !isUtf8(b)).map((value) => ({ type: 'S', value }) as const),
  bytes.map((value) => ({ type: 'x', value }) as const),
  uint64Exact.map((value) => ({ type: 'T', value }) as const),
  fc.constant({ type: 'V', value: null } as const),
);

const tables = fc.letrec<{ value: FieldValue; table: FieldTable }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'field-table' },
    scalarFieldValue,
    fc.array(tie('value'), { maxLength: 4 }).map((value) => ({ type: 'A', value }) as const),
    tie('table').map((value) => ({ type: 'F', value }) as const),
  ),
  table: fc.dictionary(tableKey, tie('value'), { maxKeys: 5, noNullPrototype: true }),
}));

export const fieldValue = tables.value;
export const fieldTable = tables.table;

const BY_TYPE: Record<AmqpType, fc.Arbitrary<unknown>> = {
  octet,
  short,
  long,
  longlong,
  timestamp: uint64Exact,
  shortstr,
  longstr: bytes,
  table: fieldTable,
  bit: fc.boolean(),
};

const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function methodArgs(name: MethodName): fc.Arbitrary<Record<string, unknown>> {
  const fields = METHODS[name].fields;
  return fc.record(Object.fromEntries(fields.map((f) => [f.name, BY_TYPE[f.type]])));
}

/** Any method with random arguments, every field present (as decoding returns them). */
export const method: fc.Arbitrary<Method> = fc
  .constantFrom(...METHOD_NAMES)
  .chain((name) =>
    methodArgs(name).map((args) => ({ classId: METHODS[name].classId, methodId: METHODS[name].methodId, name, args }) as Method),
  );

export const basicProperties: fc.Arbitrary<BasicProperties> = fc.record(
  {
    contentType: shortstr,
    contentEncoding: shortstr,
    headers: fieldTable,
    deliveryMode: octet,
    priority: octet,
    correlationId: shortstr,
    replyTo: shortstr,
    expiration: shortstr,
    messageId: shortstr,
    timestamp: uint64Exact,
    type: shortstr,
    userId: shortstr,
    appId: shortstr,
    clusterId: shortstr,
  },
  { requiredKeys: [] },
);
