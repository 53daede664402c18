/**
 * One queue on its own: counts through enqueue, take, settle and requeue;
 * round-robin push delivery within each consumer's capacity; exclusive
 * consumers; auto-delete; and what deletion does to consumers.
 */
import { BrokerError } from '../../../../src/broker/errors';
import { Queue, QueueSettings } from '../../../../src/broker/queue/queue';
import { bodyOf, FakeConsumer, message } from './fixtures';

const SETTINGS: QueueSettings = { durable: false, exclusive: false, autoDelete: false, arguments: {} };

function newQueue(settings: Partial<QueueSettings> = {}) {
  const gone: Queue[] = [];
  const queue = new Queue('/', 'q', { ...SETTINGS, ...settings }, undefined, { lastConsumerGone: (q) => gone.push(q) });
  return { queue, gone };
}

const enqueueAll = (queue: Queue, ...bodies: string[]) => bodies.map((body) => queue.enqueue(message(body)));

function thrown(action: () => unknown): BrokerError {
  try {
    action();
  } catch (error) {
    return error as BrokerError;
  }
  throw new Error('expected a BrokerError');
}

describe('Queue', () => {
  describe('without consumers', () => {
    it('counts enqueued messages as ready and gives them out in order', () => {
      const { queue } = newQueue();
      enqueueAll(queue, 'a', 'b', 'c');
      expect(queue.messageCount).toBe(3);
      expect(bodyOf(queue.take(false))).toBe('a');
      expect(bodyOf(queue.take(false))).toBe('b');
      expect(queue.messageCount).toBe(1);
      expect(queue.unackedCount).toBe(0);
    });

    it('returns undefined from take on an empty queue and counts nothing', () => {
      const { queue } = newQueue();
      expect(queue.take(true)).toBeUndefined();
      expect(queue.unackedCount).toBe(0);
    });

    it('keeps a message taken with ack unacked until it is settled', () => {
      const { queue } = newQueue();
      enqueueAll(queue, 'a', 'b');
      const taken = queue.take(true)!;
      expect(queue.messageCount).toBe(1);
      expect(queue.unackedCount).toBe(1);
      queue.settle(taken);
      expect(queue.unackedCount).toBe(0);
      expect(queue.messageCount).toBe(1);
    });

    it('requeues to the original place, marked redelivered', () => {
      const { queue } = newQueue();
      enqueueAll(queue, 'a', 'b', 'c');
      const a = queue.take(true)!;
      expect(a.redelivered).toBe(false);
      queue.requeue(a);
      expect(queue.unackedCount).toBe(0);
      expect(queue.messageCount).toBe(3);
      const again = queue.take(true)!;
      expect(again).toBe(a);
      expect(again.redelivered).toBe(true);
      expect(bodyOf(queue.take(true))).toBe('b');
      expect(queue.take(true)!.redelivered).toBe(false);
    });

    it('numbers messages in arrival order', () => {
      const { queue } = newQueue();
      const [a, b] = enqueueAll(queue, 'a', 'b');
      expect(b.seq).toBeGreaterThan(a.seq);
    });

    it('delivers by priority when x-max-priority is set, clamping above the maximum', () => {
      const { queue } = newQueue({ arguments: { 'x-max-priority': 5 } });
      for (const [body, priority] of [['p1', 1], ['none', undefined], ['p9', 9], ['p5', 5], ['p3', 3]] as const) {
        queue.enqueue(message(body, { priority }));
      }
      const order = [];
      for (let m = queue.take(false); m; m = queue.take(false)) order.push(`${bodyOf(m)}@${m.priority}`);
      expect(order).toEqual(['p9@5', 'p5@5', 'p3@3', 'p1@1', 'none@0']);
    });

    it('ignores priorities on a queue without x-max-priority', () => {
      const { queue } = newQueue();
      queue.enqueue(message('low', { priority: 1 }));
      queue.enqueue(message('high', { priority: 9 }));
      expect(bodyOf(queue.take(false))).toBe('low');
    });

    it('purges the ready messages and reports how many there were, leaving unacked ones alone', async () => {
      const { queue } = newQueue();
      enqueueAll(queue, 'a', 'b', 'c');
      queue.take(true);
      expect(await queue.purge()).toBe(2);
      expect(queue.messageCount).toBe(0);
      expect(queue.unackedCount).toBe(1);
    });
  });

  describe('with consumers', () => {
    it('delivers to a consumer as soon as it is added', () => {
      const { queue } = newQueue();
      enqueueAll(queue, 'a', 'b');
      const consumer = new FakeConsumer('c1');
      queue.addConsumer(consumer);
      expect(consumer.bodies).toEqual(['a', 'b']);
      expect(queue.messageCount).toBe(0);
      expect(queue.unackedCount).toBe(2);
      expect(queue.consumerCount).toBe(1);
    });

    it('delivers round-robin across consumers', () => {
      const { queue } = newQueue();
      const consumers = ['c1', 'c2', 'c3'].map((tag) => new FakeConsumer(tag));
      for (const c of consumers) queue.addConsumer(c);
      enqueueAll(queue, '1', '2', '3', '4', '5', '6', '7');
      expect(consumers.map((c) => c.bodies)).toEqual([['1', '4', '7'], ['2', '5'], ['3', '6']]);
    });

    it('skips consumers without capacity and keeps messages ready when none has any', () => {
      const { queue } = newQueue();
      const small = new FakeConsumer('small', { capacity: 1 });
      const large = new FakeConsumer('large', { capacity: 2 });
      queue.addConsumer(small);
      queue.addConsumer(large);
      enqueueAll(queue, '1', '2', '3', '4', '5');
      expect(small.bodies).toEqual(['1']);
      expect(large.bodies).toEqual(['2', '3']);
      expect(queue.messageCount).toBe(2);
      expect(queue.unackedCount).toBe(3);

      small.ack(queue, small.delivered[0]);
      expect(small.bodies).toEqual(['1', '4']);
      expect(queue.messageCount).toBe(1);
      expect(queue.unackedCount).toBe(3);
    });

    it('keeps dispatching when a consumer settles inside deliver', () => {
      const { queue } = newQueue();
      const consumer = new FakeConsumer('c1', { capacity: 1 });
      const deliver = consumer.deliver.bind(consumer);
      consumer.deliver = (m) => {
        deliver(m);
        consumer.ack(queue, m);
      };
      queue.addConsumer(consumer);
      enqueueAll(queue, 'a', 'b', 'c');
      queue.dispatch();
      expect(consumer.bodies).toEqual(['a', 'b', 'c']);
      expect(queue.messageCount).toBe(0);
      expect(queue.unackedCount).toBe(0);
    });

    it('continues the rotation correctly after a consumer leaves', () => {
      const { queue } = newQueue();
      const [a, b, c] = ['a', 'b', 'c'].map((tag) => new FakeConsumer(tag));
      for (const consumer of [a, b, c]) queue.addConsumer(consumer);
      enqueueAll(queue, '1', '2');
      queue.removeConsumer(a);
      enqueueAll(queue, '3', '4', '5');
      expect([a.bodies, b.bodies, c.bodies]).toEqual([['1'], ['2', '4'], ['3', '5']]);
      queue.removeConsumer(c);
      enqueueAll(queue, '6');
      expect(b.bodies).toEqual(['2', '4', '6']);
    });

    it('redelivers a requeued message to a consumer with room, flagged redelivered', () => {
      const { queue } = newQueue();
      const first = new FakeConsumer('first', { capacity: 1 });
      queue.addConsumer(first);
      const [a] = enqueueAll(queue, 'a');
      queue.removeConsumer(first);
      const second = new FakeConsumer('second');
      queue.addConsumer(second);
      queue.requeue(a);
      expect(second.delivered).toEqual([a]);
      expect(second.delivered[0].redelivered).toBe(true);
      expect(queue.unackedCount).toBe(1);
    });

    it('does not count messages handed to no-ack consumers as unacked', () => {
      const { queue } = newQueue();
      const consumer = new FakeConsumer('c1', { noAck: true });
      queue.addConsumer(consumer);
      enqueueAll(queue, 'a', 'b');
      expect(consumer.bodies).toEqual(['a', 'b']);
      expect(queue.unackedCount).toBe(0);
      expect(queue.messageCount).toBe(0);
    });

    it('refuses a second consumer beside an exclusive one, and an exclusive one beside others', () => {
      const { queue } = newQueue();
      queue.addConsumer(new FakeConsumer('exclusive', { exclusive: true }));
      const error = thrown(() => queue.addConsumer(new FakeConsumer('other')));
      expect(error).toBeInstanceOf(BrokerError);
      expect(error.code).toBe(403);
      expect(error.replyText).toBe("ACCESS_REFUSED - queue 'q' in vhost '/' in exclusive use");

      const shared = newQueue().queue;
      shared.addConsumer(new FakeConsumer('first'));
      expect(thrown(() => shared.addConsumer(new FakeConsumer('exclusive', { exclusive: true }))).name).toBe('ACCESS_REFUSED');
      expect(shared.consumerCount).toBe(1);
    });

    it('accepts consumers again once the exclusive one has gone', () => {
      const { queue } = newQueue();
      const exclusive = new FakeConsumer('exclusive', { exclusive: true });
      queue.addConsumer(exclusive);
      queue.removeConsumer(exclusive);
      queue.addConsumer(new FakeConsumer('next'));
      expect(queue.consumerCount).toBe(1);
    });
  });

  describe('auto-delete', () => {
    it('reports once, when the last consumer of an auto-delete queue goes', () => {
      const { queue, gone } = newQueue({ autoDelete: true });
      const [a, b] = [new FakeConsumer('a'), new FakeConsumer('b')];
      queue.addConsumer(a);
      queue.addConsumer(b);
      queue.removeConsumer(a);
      expect(gone).toEqual([]);
      queue.removeConsumer(b);
      expect(gone).toEqual([queue]);
      queue.removeConsumer(b);
      expect(gone).toEqual([queue]);
    });

    it('does not report for a queue that is not auto-delete', () => {
      const { queue, gone } = newQueue();
      const consumer = new FakeConsumer('a');
      queue.addConsumer(consumer);
      queue.removeConsumer(consumer);
      expect(gone).toEqual([]);
    });

    it('does not report for an auto-delete queue that never had a consumer', () => {
      const { queue, gone } = newQueue({ autoDelete: true });
      queue.removeConsumer(new FakeConsumer('stranger'));
      expect(gone).toEqual([]);
    });
  });

  describe('markDeleted', () => {
    it('cancels every consumer through cancelledByBroker and returns the ready count', () => {
      const { queue, gone } = newQueue({ autoDelete: true });
      const [a, b] = [new FakeConsumer('a', { capacity: 1 }), new FakeConsumer('b', { capacity: 1 })];
      queue.addConsumer(a);
      queue.addConsumer(b);
      enqueueAll(queue, '1', '2', '3', '4', '5');
      expect(queue.markDeleted()).toBe(3);
      expect(a.cancellations).toEqual([queue]);
      expect(b.cancellations).toEqual([queue]);
      expect(queue.consumerCount).toBe(0);
      expect(queue.messageCount).toBe(0);
      expect(queue.isDeleted).toBe(true);
      expect(gone).toEqual([]);
    });

    it('takes nothing back after deletion: a requeue to it only settles the count', () => {
      const { queue } = newQueue();
      enqueueAll(queue, 'a');
      const taken = queue.take(true)!;
      queue.markDeleted();
      queue.requeue(taken);
      expect(queue.unackedCount).toBe(0);
      expect(queue.messageCount).toBe(0);
      expect(queue.take(false)).toBeUndefined();
    });

    it('lets cancelled consumers remove themselves without reporting auto-delete', () => {
      const { queue, gone } = newQueue({ autoDelete: true });
      const consumer = new FakeConsumer('a');
      consumer.cancelledByBroker = (q) => q.removeConsumer(consumer);
      queue.addConsumer(consumer);
      queue.markDeleted();
      expect(gone).toEqual([]);
    });
  });
});
