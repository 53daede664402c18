import { fieldValuesEqual } from '../../../../src/broker/routing/field-value';

describe('field value equality', () => {
  const bytes = (s: string) => Buffer.from(s);

  it.each([
    ['equal strings', 'a', 'a', true],
    ['different strings', 'a', 'b', false],
    ['equal numbers', 1.5, 1.5, true],
    ['an integer as number and as bigint', 7, 7n, true],
    ['a bigint and a different number', 7n, 8, false],
    ['a bigint and a fraction', 7n, 7.5, false],
    ['a bigint and a string', 7n, '7', false],
    ['a number and its string', 1, '1', false],
    ['a boolean and a number', true, 1, false],
    ['null and undefined', null, undefined, false],
    ['null and an empty table', null, {}, false],
    ['equal byte arrays', bytes('ab'), bytes('ab'), true],
    ['byte arrays of different contents', bytes('ab'), bytes('ac'), false],
    ['byte arrays of different lengths', bytes('ab'), bytes('abc'), false],
    ['a string and its UTF-8 bytes', 'é', bytes('é'), true],
    ['a string and other bytes', 'a', bytes('b'), false],
    ['bytes and a number', bytes('1'), 1, false],
    ['equal dates', new Date(5), new Date(5), true],
    ['different dates', new Date(5), new Date(6), false],
    ['a date and a table', new Date(5), {}, false],
    ['equal arrays', [1, [2, 'x']], [1, [2, 'x']], true],
    ['arrays in another order', [1, 2], [2, 1], false],
    ['arrays of different lengths', [1], [1, 1], false],
    ['an array and a table', [1], { 0: 1 }, false],
    ['tables in another key order', { a: 1, b: { c: [1] } }, { b: { c: [1] }, a: 1 }, true],
    ['tables with a different value', { a: 1 }, { a: 2 }, false],
    ['tables with different keys', { a: 1 }, { b: 1 }, false],
    ['a table and a table with more', { a: 1 }, { a: 1, b: 1 }, false],
    ['a key holding undefined and a missing key', { a: undefined, b: 1 }, { b: 1, c: undefined }, false],
  ])('%s', (_name, a, b, expected) => {
    expect(fieldValuesEqual(a, b)).toBe(expected);
    expect(fieldValuesEqual(b, a)).toBe(expected);
  });
});
