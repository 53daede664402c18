import { toJsonTable, toJsonValue } from '../../../src/http/presenters/json-value';

describe('toJsonValue', () => {
  it.each<[string, unknown, unknown]>([
    ['a string', 'text', 'text'],
    ['a boolean', true, true],
    ['an integer', 42, 42],
    ['a float', 1.5, 1.5],
    ['null', null, null],
    ['undefined', undefined, null],
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['a safe bigint', 12n, 12],
    ['an unsafe bigint', 2n ** 63n - 1n, '9223372036854775807'],
    ['a UTF-8 Buffer', Buffer.from('héllo'), 'héllo'],
    ['a binary Buffer', Buffer.from([0xff, 0x00]), '/wA='],
    ['a Uint8Array view', new Uint8Array(Buffer.from('xab')).subarray(1), 'ab'],
    ['a Date', new Date(1_700_000_000_500), 1_700_000_000],
    ['a tagged timestamp', { type: 'T', value: 5n }, 5],
    ['a decimal', { type: 'D', value: { scale: 2, digits: 12345 } }, 123.45],
    ['a nested table', { a: [1n, { b: Buffer.from('c') }] }, { a: [1, { b: 'c' }] }],
    ['a symbol', Symbol('s'), null],
  ])('renders %s as JSON', (_case, value, expected) => {
    expect(toJsonValue(value)).toEqual(expected);
    expect(() => JSON.stringify(toJsonValue(value))).not.toThrow();
  });

  it('keeps an ordinary object that only looks tagged', () => {
    expect(toJsonValue({ type: 'T', value: 1, other: 2 })).toEqual({ type: 'T', value: 1, other: 2 });
  });

  it('renders a missing table as {}', () => {
    expect(toJsonTable(undefined)).toEqual({});
  });
});
