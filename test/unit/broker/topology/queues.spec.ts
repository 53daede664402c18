/** Declaring, deleting and purging queues through the TopologyService, exclusive queues, auto-delete. */
import { TopologyService } from '../../../../src/broker/topology/topology-service';
import { FakeConsumer, message } from '../queue/fixtures';
import { exchange, queue, rejection, routed, startTopology, toQueue } from './fixtures';

/** Lets the serialised follow-up work (auto-delete after the last consumer) run. */
const settle = (topology: TopologyService) => topology.declareExchange('/', 'amq.direct', exchange({ durable: true }));

describe('TopologyService: queues', () => {
  let topology: TopologyService;
  beforeEach(async () => {
    topology = await startTopology();
  });

  describe('declare', () => {
    it('creates a queue with the declared settings and reports its counts', async () => {
      const declared = await topology.declareQueue('/', 'q', queue({ durable: true, arguments: { 'x-max-priority': 3 } }));
      expect(declared).toEqual({ queue: topology.queue('/', 'q'), messageCount: 0, consumerCount: 0 });
      expect(declared.queue.settings).toEqual({ durable: true, exclusive: false, autoDelete: false, arguments: { 'x-max-priority': 3 } });
      declared.queue.enqueue(message());
      declared.queue.addConsumer(new FakeConsumer('c', { capacity: 0 }));
      expect(await topology.declareQueue('/', 'q', queue({ durable: true, arguments: { 'x-max-priority': 3 } })))
        .toEqual({ queue: declared.queue, messageCount: 1, consumerCount: 1 });
    });

    it('is bound to the default exchange under its own name', async () => {
      await topology.declareQueue('/', 'orders', queue());
      expect(routed(topology, '', 'orders')).toEqual(['orders']);
      expect(routed(topology, '', 'other')).toEqual([]);
    });

    it.each([
      ['durable', { durable: true }, "received 'true' but current is 'false'"],
      ['auto_delete', { autoDelete: true }, "received 'true' but current is 'false'"],
      ['x-max-priority', { arguments: { 'x-max-priority': 5 } }, "received '5' but current is none"],
    ])('refuses a redeclare with a different %s as PRECONDITION_FAILED', async (arg, change, detail) => {
      const original = await topology.declareQueue('/', 'q', queue());
      const error = await rejection(topology.declareQueue('/', 'q', queue(change)));
      expect(error.replyText).toBe(`PRECONDITION_FAILED - inequivalent arg '${arg}' for queue 'q' in vhost '/': ${detail}`);
      expect(topology.queue('/', 'q')).toBe(original.queue);
    });

    it('keeps arguments it does not know and validates x-max-priority as an integer from 1 to 255', async () => {
      const declared = await topology.declareQueue('/', 'q', queue({ arguments: { 'x-custom': 'kept', plain: [1, { a: true }] } }));
      expect(declared.queue.settings.arguments).toEqual({ 'x-custom': 'kept', plain: [1, { a: true }] });
      await topology.declareQueue('/', 'p1', queue({ arguments: { 'x-max-priority': 1 } }));
      await topology.declareQueue('/', 'p255', queue({ arguments: { 'x-max-priority': 255 } }));
      for (const bad of [0, 256, 'x', 1.5, -1]) {
        const error = await rejection(topology.declareQueue('/', 'bad', queue({ arguments: { 'x-max-priority': bad } })));
        expect(error.name).toBe('PRECONDITION_FAILED');
        expect(error.replyText).toContain("'x-max-priority'");
        expect(topology.vhost('/').queues.has('bad')).toBe(false);
      }
    });

    it.each([
      ['x-message-ttl', 0, -1],
      ['x-expires', 1, 0],
      ['x-max-length', 0, 1.5],
      ['x-max-length-bytes', 10, '10'],
      ['x-dead-letter-exchange', 'dlx', 5],
      ['x-dead-letter-routing-key', '', null],
      ['x-overflow', 'reject-publish', 'drop-tail'],
      ['x-single-active-consumer', true, 'true'],
      ['x-queue-mode', 'lazy', 'eager'],
      ['x-queue-type', 'classic', 'stream'],
    ])('validates %s: accepts %p, refuses %p', async (name, good, bad) => {
      await topology.declareQueue('/', 'good', queue({ arguments: { [name]: good } }));
      const error = await rejection(topology.declareQueue('/', 'bad', queue({ arguments: { [name]: bad } })));
      expect(error.replyText).toMatch(new RegExp(`^PRECONDITION_FAILED - invalid arg '${name}' for queue 'bad' in vhost '/'`));
    });

    it('gives a queue declared without a name a fresh amq.gen- name', async () => {
      const a = await topology.declareQueue('/', '', queue());
      const b = await topology.declareQueue('/', '', queue());
      expect(a.queue.name).toMatch(/^amq\.gen-[A-Za-z0-9_-]{22}$/);
      expect(b.queue.name).not.toBe(a.queue.name);
      expect(topology.queue('/', a.queue.name)).toBe(a.queue);
    });

    it('refuses new names with the reserved prefix amq.', async () => {
      const error = await rejection(topology.declareQueue('/', 'amq.mine', queue()));
      expect(error.replyText).toBe("ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");
    });

    it('accepts names of exactly 255 bytes of UTF-8 and refuses longer ones', async () => {
      const exactly = `${'ü'.repeat(126)}abc`;
      expect(Buffer.byteLength(exactly)).toBe(255);
      await topology.declareQueue('/', exactly, queue());
      expect((await rejection(topology.declareQueue('/', `${exactly}d`, queue()))).name).toBe('PRECONDITION_FAILED');
      expect((await rejection(topology.declareQueue('/', '😀'.repeat(64), queue()))).name).toBe('PRECONDITION_FAILED');
    });

    it('passively finds an existing queue and answers NOT_FOUND for a missing one', async () => {
      const declared = await topology.declareQueue('/', 'q', queue({ durable: true }));
      expect((await topology.declareQueue('/', 'q', queue(), { passive: true })).queue).toBe(declared.queue);
      const error = await rejection(topology.declareQueue('/', 'missing', queue(), { passive: true }));
      expect(error.code).toBe(404);
      expect(error.replyText).toBe("NOT_FOUND - no queue 'missing' in vhost '/'");
      expect(() => topology.queue('/', 'missing')).toThrow("NOT_FOUND - no queue 'missing' in vhost '/'");
    });
  });

  describe('exclusive queues', () => {
    it('lock out every other connection', async () => {
      await topology.declareQueue('/', 'mine', queue({ exclusive: true }), { owner: 'conn-1' });
      for (const attempt of [
        topology.declareQueue('/', 'mine', queue({ exclusive: true }), { owner: 'conn-2' }),
        topology.declareQueue('/', 'mine', queue(), { owner: 'conn-2', passive: true }),
        topology.deleteQueue('/', 'mine', { owner: 'conn-2' }),
        topology.purgeQueue('/', 'mine', 'conn-2'),
        topology.bind(toQueue('amq.direct', 'mine'), 'conn-2'),
      ]) {
        const error = await rejection(attempt);
        expect(error.code).toBe(405);
        expect(error.replyText).toMatch(/^RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'mine' in vhost '\/'/);
      }
      expect(() => topology.queue('/', 'mine', 'conn-2')).toThrow(/RESOURCE_LOCKED/);
      expect(topology.queue('/', 'mine', 'conn-1').owner).toBe('conn-1');
    });

    it('refuses to redeclare a shared queue as exclusive', async () => {
      await topology.declareQueue('/', 'shared', queue(), { owner: 'conn-1' });
      expect((await rejection(topology.declareQueue('/', 'shared', queue({ exclusive: true }), { owner: 'conn-1' }))).name).toBe('RESOURCE_LOCKED');
    });

    it('are all deleted with their connection, and only theirs', async () => {
      await topology.declareQueue('/', 'a', queue({ exclusive: true }), { owner: 'conn-1' });
      await topology.declareQueue('/', '', queue({ exclusive: true }), { owner: 'conn-1' });
      await topology.declareQueue('/', 'b', queue({ exclusive: true }), { owner: 'conn-2' });
      await topology.declareQueue('/', 'shared', queue(), { owner: 'conn-1' });
      await topology.bind(toQueue('amq.fanout', 'a'), 'conn-1');
      await topology.deleteExclusiveQueuesOf('conn-1');
      expect([...topology.vhost('/').queues.keys()].sort()).toEqual(['b', 'shared']);
      expect(topology.vhost('/').bindings).toEqual([]);
    });
  });

  describe('delete and purge', () => {
    it('deleting returns how many messages the queue held and removes it with its bindings', async () => {
      const { queue: q } = await topology.declareQueue('/', 'q', queue());
      await topology.bind(toQueue('amq.direct', 'q', 'k'));
      for (const body of ['a', 'b', 'c']) q.enqueue(message(body));
      expect(await topology.deleteQueue('/', 'q')).toBe(3);
      expect(topology.vhost('/').queues.has('q')).toBe(false);
      expect(topology.vhost('/').bindings).toEqual([]);
      expect(routed(topology, 'amq.direct', 'k')).toEqual([]);
      expect(routed(topology, '', 'q')).toEqual([]);
      expect(q.isDeleted).toBe(true);
    });

    it('tells the consumers of a deleted queue', async () => {
      const { queue: q } = await topology.declareQueue('/', 'q', queue());
      const consumer = new FakeConsumer('c');
      q.addConsumer(consumer);
      await topology.deleteQueue('/', 'q');
      expect(consumer.cancellations).toEqual([q]);
    });

    it('answers NOT_FOUND for a missing queue', async () => {
      expect((await rejection(topology.deleteQueue('/', 'missing'))).replyText).toBe("NOT_FOUND - no queue 'missing' in vhost '/'");
    });

    it('with if-unused refuses a queue that has consumers', async () => {
      const { queue: q } = await topology.declareQueue('/', 'q', queue());
      const consumer = new FakeConsumer('c');
      q.addConsumer(consumer);
      expect((await rejection(topology.deleteQueue('/', 'q', { ifUnused: true }))).replyText).toBe("PRECONDITION_FAILED - queue 'q' in vhost '/' in use");
      q.removeConsumer(consumer);
      expect(await topology.deleteQueue('/', 'q', { ifUnused: true })).toBe(0);
    });

    it('with if-empty refuses a queue that holds messages', async () => {
      const { queue: q } = await topology.declareQueue('/', 'q', queue());
      q.enqueue(message());
      expect((await rejection(topology.deleteQueue('/', 'q', { ifEmpty: true }))).replyText).toBe("PRECONDITION_FAILED - queue 'q' in vhost '/' not empty");
      expect(await topology.purgeQueue('/', 'q')).toBe(1);
      expect(await topology.deleteQueue('/', 'q', { ifEmpty: true })).toBe(0);
    });

    it('purging returns how many messages it removed and keeps the queue', async () => {
      const { queue: q } = await topology.declareQueue('/', 'q', queue());
      for (const body of ['a', 'b']) q.enqueue(message(body));
      expect(await topology.purgeQueue('/', 'q')).toBe(2);
      expect(q.messageCount).toBe(0);
      expect(topology.queue('/', 'q')).toBe(q);
      expect(await topology.purgeQueue('/', 'q')).toBe(0);
    });

    it('deletes auto-delete exchanges that lose their last binding with the queue, and keeps the others', async () => {
      await topology.declareQueue('/', 'q', queue());
      await topology.declareQueue('/', 'other', queue());
      await topology.declareExchange('/', 'lonely', exchange({ autoDelete: true }));
      await topology.declareExchange('/', 'shared', exchange({ autoDelete: true }));
      await topology.declareExchange('/', 'plain', exchange());
      await topology.bind(toQueue('lonely', 'q'));
      await topology.bind(toQueue('shared', 'q'));
      await topology.bind(toQueue('shared', 'other'));
      await topology.bind(toQueue('plain', 'q'));
      await topology.deleteQueue('/', 'q');
      const exchanges = topology.vhost('/').exchanges;
      expect([exchanges.has('lonely'), exchanges.has('shared'), exchanges.has('plain')]).toEqual([false, true, true]);
    });
  });

  describe('auto-delete queues', () => {
    it('go when their last consumer goes', async () => {
      const { queue: q } = await topology.declareQueue('/', 'q', queue({ autoDelete: true }));
      await topology.bind(toQueue('amq.direct', 'q'));
      const [a, b] = [new FakeConsumer('a'), new FakeConsumer('b')];
      q.addConsumer(a);
      q.addConsumer(b);
      q.removeConsumer(a);
      await settle(topology);
      expect(topology.vhost('/').queues.has('q')).toBe(true);
      q.removeConsumer(b);
      await settle(topology);
      expect(topology.vhost('/').queues.has('q')).toBe(false);
      expect(topology.vhost('/').bindings).toEqual([]);
    });

    it('stay when a new consumer arrives before the deletion runs', async () => {
      const { queue: q } = await topology.declareQueue('/', 'q', queue({ autoDelete: true }));
      const first = new FakeConsumer('first');
      q.addConsumer(first);
      q.removeConsumer(first);
      q.addConsumer(new FakeConsumer('second'));
      await settle(topology);
      expect(topology.queue('/', 'q')).toBe(q);
    });

    it('stay while they never had a consumer', async () => {
      await topology.declareQueue('/', 'q', queue({ autoDelete: true }));
      await settle(topology);
      expect(topology.vhost('/').queues.has('q')).toBe(true);
    });
  });
});
