/**
 * Ready messages in delivery order: highest priority first, FIFO within a
 * level, priorities clamped as RabbitMQ does, and requeue back to the original place.
 */
import fc from 'fast-check';
import type { QueuedMessage } from '../../../../src/broker/queue/queued-message';
import { ReadyMessages } from '../../../../src/broker/queue/ready-messages';
import { message } from './fixtures';

function queued(seq: number, priority = 0, body = `m${seq}`): QueuedMessage {
  return { seq, priority, message: message(body), size: Buffer.byteLength(body), redelivered: false };
}

const drain = (ready: ReadyMessages): number[] => {
  const seqs: number[] = [];
  for (let m = ready.shift(); m; m = ready.shift()) seqs.push(m.seq);
  return seqs;
};

describe('ReadyMessages', () => {
  describe('priorityOf', () => {
    it('is always 0 on a queue without x-max-priority', () => {
      const ready = new ReadyMessages();
      expect([undefined, 0, 1, 9, 255].map((p) => ready.priorityOf(p))).toEqual([0, 0, 0, 0, 0]);
    });

    it('counts no priority as 0 and a priority above the maximum as the maximum', () => {
      const ready = new ReadyMessages(5);
      expect(ready.priorityOf(undefined)).toBe(0);
      expect(ready.priorityOf(0)).toBe(0);
      expect(ready.priorityOf(3)).toBe(3);
      expect(ready.priorityOf(5)).toBe(5);
      expect(ready.priorityOf(6)).toBe(5);
      expect(ready.priorityOf(255)).toBe(5);
    });

    it('never yields a level outside 0..max for odd inputs', () => {
      const ready = new ReadyMessages(5);
      expect(ready.priorityOf(-1)).toBe(0);
      expect(ready.priorityOf(2.7)).toBe(2);
      expect(ready.priorityOf(Number.NaN)).toBe(0);
    });
  });

  it('is first-in first-out with one level', () => {
    const ready = new ReadyMessages();
    for (const seq of [1, 2, 3]) ready.push(queued(seq));
    expect(ready.length).toBe(3);
    expect(drain(ready)).toEqual([1, 2, 3]);
    expect(ready.shift()).toBeUndefined();
    expect(ready.length).toBe(0);
  });

  it('gives the highest priority first, and first-in first-out within a level', () => {
    const ready = new ReadyMessages(10);
    const priorities = [1, 5, 0, 10, 5, 1, 10, 0];
    priorities.forEach((priority, i) => ready.push(queued(i + 1, priority)));
    expect(drain(ready)).toEqual([4, 7, 2, 5, 1, 6, 3, 8]);
  });

  it('iterates in delivery order without removing anything', () => {
    const ready = new ReadyMessages(2);
    [0, 2, 1, 2].forEach((priority, i) => ready.push(queued(i + 1, priority)));
    expect([...ready].map((m) => m.seq)).toEqual([2, 4, 3, 1]);
    expect(ready.length).toBe(4);
  });

  it('requeues a message to its original place among the messages of its level', () => {
    const ready = new ReadyMessages();
    for (const seq of [1, 2, 3, 4, 5]) ready.push(queued(seq));
    const first = ready.shift()!;
    const second = ready.shift()!;
    const third = ready.shift()!;
    ready.requeue(second);
    ready.requeue(third);
    ready.requeue(first);
    expect(ready.length).toBe(5);
    expect(drain(ready)).toEqual([1, 2, 3, 4, 5]);
  });

  it('requeues behind higher priorities that arrived later', () => {
    const ready = new ReadyMessages(9);
    ready.push(queued(1, 0));
    const low = ready.shift()!;
    ready.push(queued(2, 9));
    ready.push(queued(3, 0));
    ready.requeue(low);
    expect(drain(ready)).toEqual([2, 1, 3]);
  });

  it('tracks the body bytes of what is ready', () => {
    const ready = new ReadyMessages(1);
    ready.push(queued(1, 0, 'abc'));
    ready.push(queued(2, 1, 'de'));
    ready.push(queued(3, 0, 'é'));
    expect(ready.byteSize).toBe(7);
    const taken = ready.shift()!;
    expect(ready.byteSize).toBe(5);
    ready.requeue(taken);
    expect(ready.byteSize).toBe(7);
    ready.clear();
    expect(ready.byteSize).toBe(0);
  });

  it('clear returns how many messages it removed and leaves it empty', () => {
    const ready = new ReadyMessages(3);
    [0, 3, 1].forEach((priority, i) => ready.push(queued(i + 1, priority)));
    expect(ready.clear()).toBe(3);
    expect(ready.length).toBe(0);
    expect(ready.shift()).toBeUndefined();
    expect(ready.clear()).toBe(0);
    ready.push(queued(4, 2));
    expect(drain(ready)).toEqual([4]);
  });

  it('agrees with a sorted model under pushes, shifts and requeues in any order', () => {
    const opArb = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('push' as const), priority: fc.integer({ min: 0, max: 3 }) }) },
      { weight: 2, arbitrary: fc.constant({ kind: 'shift' as const }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('requeue' as const), pick: fc.nat() }) },
    );
    const deliveryOrder = (a: QueuedMessage, b: QueuedMessage) => b.priority - a.priority || a.seq - b.seq;
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 150 }), (ops) => {
        const ready = new ReadyMessages(3);
        let model: QueuedMessage[] = [];
        const out: QueuedMessage[] = [];
        let seq = 0;
        for (const op of ops) {
          if (op.kind === 'push') {
            const m = queued(++seq, op.priority);
            ready.push(m);
            model = [...model, m].sort(deliveryOrder);
          } else if (op.kind === 'shift') {
            const m = ready.shift();
            expect(m).toBe(model.shift());
            if (m) out.push(m);
          } else if (out.length > 0) {
            const [m] = out.splice(op.pick % out.length, 1);
            ready.requeue(m);
            model = [...model, m].sort(deliveryOrder);
          }
          expect(ready.length).toBe(model.length);
        }
        expect([...ready]).toEqual(model);
      }),
    );
  });
});
