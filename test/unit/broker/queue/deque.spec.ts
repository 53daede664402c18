/**
 * The ring buffer under the ready messages: both ends, growth while wrapped,
 * and ordered insertion, checked against a plain array doing the same work.
 */
import fc from 'fast-check';
import { Deque } from '../../../../src/broker/queue/deque';

const contents = <T>(deque: Deque<T>): T[] => [...deque];
const identity = (n: number) => n;

describe('Deque', () => {
  it('is first-in first-out through push and shift', () => {
    const deque = new Deque<string>();
    deque.push('a');
    deque.push('b');
    deque.push('c');
    expect(deque.length).toBe(3);
    expect(deque.shift()).toBe('a');
    expect(deque.shift()).toBe('b');
    expect(deque.shift()).toBe('c');
    expect(deque.shift()).toBeUndefined();
    expect(deque.length).toBe(0);
  });

  it('puts unshifted items in front', () => {
    const deque = new Deque<string>();
    deque.push('b');
    deque.unshift('a');
    deque.push('c');
    expect(contents(deque)).toEqual(['a', 'b', 'c']);
    expect(deque.peek()).toBe('a');
    expect(deque.at(2)).toBe('c');
    expect(deque.at(3)).toBeUndefined();
    expect(deque.at(-1)).toBeUndefined();
  });

  it('grows past its capacity while the contents wrap around the end of the buffer', () => {
    const deque = new Deque<number>(4);
    for (let i = 0; i < 3; i++) deque.push(i);
    deque.shift();
    deque.shift();
    for (let i = 3; i < 40; i++) deque.push(i);
    deque.unshift(1);
    expect(contents(deque)).toEqual(Array.from({ length: 40 }, (_, i) => i).slice(1));
  });

  it('grows from any starting capacity, including none', () => {
    for (const capacity of [0, 1, 2]) {
      const deque = new Deque<number>(capacity);
      deque.unshift(2);
      deque.unshift(1);
      deque.push(3);
      expect(contents(deque)).toEqual([1, 2, 3]);
    }
  });

  it('inserts in key order at the front, the back and in between', () => {
    const deque = new Deque<number>(2);
    for (const n of [10, 20, 30]) deque.push(n);
    deque.insertOrdered(5, identity);
    deque.insertOrdered(35, identity);
    deque.insertOrdered(25, identity);
    deque.insertOrdered(11, identity);
    expect(contents(deque)).toEqual([5, 10, 11, 20, 25, 30, 35]);
  });

  it('inserts in order into an empty deque and after the head has wrapped', () => {
    const deque = new Deque<number>(4);
    deque.insertOrdered(7, identity);
    expect(contents(deque)).toEqual([7]);
    deque.push(8);
    deque.push(9);
    deque.shift();
    deque.shift();
    deque.push(12);
    deque.push(14);
    deque.insertOrdered(13, identity);
    expect(contents(deque)).toEqual([9, 12, 13, 14]);
  });

  it('is empty and reusable after clear', () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 20; i++) deque.push(i);
    deque.clear();
    expect(deque.length).toBe(0);
    expect(deque.peek()).toBeUndefined();
    deque.push(1);
    expect(contents(deque)).toEqual([1]);
  });

  type Op = { kind: 'push' | 'unshift'; value: number } | { kind: 'shift' };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('push' as const), value: fc.integer() }),
    fc.record({ kind: fc.constant('unshift' as const), value: fc.integer() }),
    fc.constant({ kind: 'shift' as const }),
  );

  it('behaves like an array under any mix of push, unshift and shift', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.array(opArb, { maxLength: 200 }), (capacity, ops) => {
        const deque = new Deque<number>(capacity);
        const model: number[] = [];
        for (const op of ops) {
          if (op.kind === 'push') {
            deque.push(op.value);
            model.push(op.value);
          } else if (op.kind === 'unshift') {
            deque.unshift(op.value);
            model.unshift(op.value);
          } else {
            expect(deque.shift()).toBe(model.shift());
          }
          expect(deque.length).toBe(model.length);
          expect(deque.peek()).toBe(model[0]);
        }
        expect(contents(deque)).toEqual(model);
      }),
    );
  });

  type OrderedOp = { kind: 'insert'; value: number } | { kind: 'shift' };
  const orderedOpArb: fc.Arbitrary<OrderedOp> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), value: fc.integer({ min: 0, max: 50 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'shift' as const }) },
  );

  it('keeps ascending order like a sorted array under ordered inserts and shifts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.array(orderedOpArb, { maxLength: 200 }), (capacity, ops) => {
        const deque = new Deque<number>(capacity);
        const model: number[] = [];
        for (const op of ops) {
          if (op.kind === 'insert') {
            deque.insertOrdered(op.value, identity);
            const at = model.findIndex((n) => n >= op.value);
            model.splice(at < 0 ? model.length : at, 0, op.value);
          } else {
            expect(deque.shift()).toBe(model.shift());
          }
        }
        expect(contents(deque)).toEqual(model);
      }),
    );
  });
});
