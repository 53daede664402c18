/**
 * Push delivery over real TCP: basic.consume (tags, exclusive, no-ack, nowait),
 * basic.cancel, basic.qos per consumer and per channel, round-robin, priority
 * queues, and unacked messages returning to their place when a channel or
 * connection closes.
 */
import * as amqp from 'amqplib';
import { useWarren } from '../../support/warren-app';
import { bodies, closedWith, consumeInto, Inbox, unique, useClients, waitFor } from './support/clients';

jest.setTimeout(60000);

describe('AMQP consumers and push delivery', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  async function connectionAndChannel(): Promise<{ connection: amqp.ChannelModel; ch: amqp.Channel }> {
    const connection = await clients.amqplib();
    return { connection, ch: await connection.createChannel() };
  }

  async function queueWith(ch: amqp.Channel, messages: string[], args: Record<string, unknown> = {}): Promise<string> {
    const queue = unique('q.consume');
    await ch.assertQueue(queue, { durable: false, arguments: args });
    for (const body of messages) ch.sendToQueue(queue, Buffer.from(body));
    await waitFor(async () => (await ch.checkQueue(queue)).messageCount === messages.length, `${messages.length} messages queued`);
    return queue;
  }

  /**
   * Waits until the broker has handed out all it is going to: the queue holds `ready`
   * messages. Deliveries are written before a later reply, so after this the inboxes are final.
   */
  async function settleTo(ch: amqp.Channel, queue: string, ready: number): Promise<void> {
    await waitFor(async () => (await ch.checkQueue(queue)).messageCount === ready, `${ready} ready messages on ${queue}`);
  }

  const numbered = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

  describe('basic.consume', () => {
    it('generates an amq.ctag- tag when none is given and keeps a given one', async () => {
      const { ch } = await connectionAndChannel();
      const queue = await queueWith(ch, []);
      const generated = await ch.consume(queue, () => undefined);
      expect(generated.consumerTag).toMatch(/^amq\.ctag-[A-Za-z0-9_-]+$/);
      const given = await ch.consume(queue, () => undefined, { consumerTag: 'my-tag' });
      expect(given.consumerTag).toBe('my-tag');
      ch.sendToQueue(queue, Buffer.from('x'));
      ch.sendToQueue(queue, Buffer.from('y'));
    });

    it('delivers with the consumer tag, exchange and routing key of the publish', async () => {
      const { ch } = await connectionAndChannel();
      const queue = await queueWith(ch, []);
      await ch.bindQueue(queue, 'amq.direct', 'key-1');
      const { inbox, consumerTag } = await consumeInto(ch, queue, { consumerTag: 'tagged' });
      ch.publish('amq.direct', 'key-1', Buffer.from('hello'));
      const [message] = await inbox.waitFor(1);
      expect(message.fields).toMatchObject({ consumerTag, deliveryTag: 1, redelivered: false, exchange: 'amq.direct', routingKey: 'key-1' });
      expect(consumerTag).toBe('tagged');
    });

    it('reusing a consumer tag on the channel is a 530 NOT_ALLOWED connection error', async () => {
      const { connection, ch } = await connectionAndChannel();
      const failed = new Promise<Error & { code?: number }>((done) => connection.once('error', done));
      const queue = await queueWith(ch, []);
      await ch.consume(queue, () => undefined, { consumerTag: 'twice' });
      await expect(ch.consume(queue, () => undefined, { consumerTag: 'twice' })).rejects.toThrow();
      const error = await failed;
      expect(error.code).toBe(530);
      expect(error.message).toMatch(/with message "NOT_ALLOWED - attempt to reuse consumer tag 'twice'"/);
    });

    it('consuming from a missing queue is 404', async () => {
      const { ch } = await connectionAndChannel();
      expect(await closedWith(ch.consume('nowhere', () => undefined), 404)).toBe("NOT_FOUND - no queue 'nowhere' in vhost '/'");
    });

    it('an exclusive consumer keeps others off the queue (403), and cannot join a queue that has consumers', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, []);
      await ch.consume(queue, () => undefined, { exclusive: true });
      const text = await closedWith((await connection.createChannel()).consume(queue, () => undefined), 403);
      expect(text).toBe(`ACCESS_REFUSED - queue '${queue}' in vhost '/' in exclusive use`);

      const other = await queueWith(await connection.createChannel(), []);
      const sharing = await connection.createChannel();
      await sharing.consume(other, () => undefined);
      expect(await closedWith(sharing.consume(other, () => undefined, { exclusive: true }), 403)).toBe(`ACCESS_REFUSED - queue '${other}' in vhost '/' in exclusive use`);
    });

    it('with no-ack, messages are settled on delivery: nothing comes back when the channel closes', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(3));
      const consumerChannel = await connection.createChannel();
      const { inbox } = await consumeInto(consumerChannel, queue, { noAck: true });
      expect(bodies(await inbox.waitFor(3))).toEqual(['m1', 'm2', 'm3']);
      await consumerChannel.close();
      expect(await ch.checkQueue(queue)).toMatchObject({ messageCount: 0, consumerCount: 0 });
    });

    it('with nowait, starts delivering without a consume-ok', async () => {
      const raw = await clients.raw();
      const queue = unique('q.nowait-consume');
      raw.send(1, 'queue.declare', { queue, exclusive: true });
      await raw.expectMethod(1, 'queue.declare-ok');
      raw.send(1, 'basic.consume', { queue, consumerTag: 'silent', noAck: true, nowait: true });
      raw.publish(1, { exchange: '', routingKey: queue }, Buffer.from('pushed'));
      const deliver = await raw.expectMethod(1, 'basic.deliver');
      expect(deliver).toMatchObject({ consumerTag: 'silent', routingKey: queue, redelivered: false });
    });
  });

  describe('basic.cancel', () => {
    it('stops deliveries to that consumer and answers cancel-ok with its tag; messages stay queued', async () => {
      const { ch } = await connectionAndChannel();
      const queue = await queueWith(ch, []);
      const { inbox, consumerTag } = await consumeInto(ch, queue, { noAck: true });
      ch.sendToQueue(queue, Buffer.from('before'));
      await inbox.waitFor(1);
      expect(await ch.cancel(consumerTag)).toEqual({ consumerTag });
      ch.sendToQueue(queue, Buffer.from('after'));
      await settleTo(ch, queue, 1);
      expect(bodies(inbox.items)).toEqual(['before']);
    });

    it('of an unknown tag still answers cancel-ok, as RabbitMQ does', async () => {
      const raw = await clients.raw();
      raw.send(1, 'basic.cancel', { consumerTag: 'never-was' });
      expect(await raw.expectMethod(1, 'basic.cancel-ok')).toEqual({ consumerTag: 'never-was' });
    });

    it('requeues nothing by itself: unacked messages of a cancelled consumer can still be acked', async () => {
      const { ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(2));
      const { inbox, consumerTag } = await consumeInto(ch, queue);
      const received = await inbox.waitFor(2);
      await ch.cancel(consumerTag);
      for (const message of received) ch.ack(message);
      expect(await ch.checkQueue(queue)).toMatchObject({ messageCount: 0 });
    });
  });

  describe('round-robin', () => {
    it('alternates between two consumers of a queue', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, []);
      const a = await consumeInto(await connection.createChannel(), queue, { noAck: true });
      const b = await consumeInto(await connection.createChannel(), queue, { noAck: true });
      for (const body of numbered(10)) ch.sendToQueue(queue, Buffer.from(body));
      await waitFor(() => a.inbox.items.length + b.inbox.items.length === 10, 'all 10 deliveries');
      expect(bodies(a.inbox.items)).toEqual(['m1', 'm3', 'm5', 'm7', 'm9']);
      expect(bodies(b.inbox.items)).toEqual(['m2', 'm4', 'm6', 'm8', 'm10']);
    });
  });

  describe('basic.qos', () => {
    it('prefetch 1 per consumer: two consumers share the queue and neither ever holds more than one', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, []);
      const consumerChannel = await connection.createChannel();
      await consumerChannel.prefetch(1);
      const log: string[] = [];
      const outstanding = new Map<string, number>();
      let worstOutstanding = 0;
      let acked = 0;
      for (const name of ['A', 'B']) {
        outstanding.set(name, 0);
        await consumerChannel.consume(queue, (message) => {
          if (!message) return;
          const held = outstanding.get(name)! + 1;
          outstanding.set(name, held);
          worstOutstanding = Math.max(worstOutstanding, held);
          log.push(`${name}:${message.content.toString()}`);
          setTimeout(() => {
            outstanding.set(name, outstanding.get(name)! - 1);
            consumerChannel.ack(message);
            acked++;
          }, 5);
        });
      }
      for (const body of numbered(8)) ch.sendToQueue(queue, Buffer.from(body));
      await waitFor(() => acked === 8, 'all 8 deliveries acked');
      await settleTo(ch, queue, 0);
      expect(worstOutstanding).toBe(1);
      expect(log.filter((entry) => entry.startsWith('A:')).length).toBeGreaterThan(0);
      expect(log.filter((entry) => entry.startsWith('B:')).length).toBeGreaterThan(0);
      expect(log.map((entry) => entry.slice(2)).sort()).toEqual(numbered(8).sort());
    });

    it('prefetch per consumer: each consumer gets its own limit, and an ack lets one more through', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(10));
      const consumerChannel = await connection.createChannel();
      await consumerChannel.prefetch(2);
      const a = await consumeInto(consumerChannel, queue);
      const b = await consumeInto(consumerChannel, queue);
      await settleTo(ch, queue, 6);
      expect([a.inbox.items.length, b.inbox.items.length]).toEqual([2, 2]);
      consumerChannel.ack(a.inbox.items[0]);
      await settleTo(ch, queue, 5);
      expect([a.inbox.items.length, b.inbox.items.length]).toEqual([3, 2]);
    });

    it('prefetch global: the limit is shared by all consumers of the channel', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(10));
      const consumerChannel = await connection.createChannel();
      await consumerChannel.prefetch(3, true);
      const a = await consumeInto(consumerChannel, queue);
      const b = await consumeInto(consumerChannel, queue);
      await settleTo(ch, queue, 7);
      expect(a.inbox.items.length + b.inbox.items.length).toBe(3);
      consumerChannel.ack(a.inbox.items[0] ?? b.inbox.items[0]);
      await settleTo(ch, queue, 6);
      expect(a.inbox.items.length + b.inbox.items.length).toBe(4);
    });

    it('prefetch_size is ignored (issue 4; RabbitMQ 3.10 refuses it with 540 instead), the count still applies', async () => {
      const raw = await clients.raw();
      const queue = unique('q.prefetch-size');
      raw.send(1, 'queue.declare', { queue, exclusive: true });
      await raw.expectMethod(1, 'queue.declare-ok');
      raw.send(1, 'basic.qos', { prefetchSize: 1000, prefetchCount: 1, global: false });
      await raw.expectMethod(1, 'basic.qos-ok');
      for (const body of ['one', 'two']) raw.publish(1, { exchange: '', routingKey: queue }, Buffer.from(body));
      raw.send(1, 'basic.consume', { queue, consumerTag: 'sized' });
      await raw.expectMethod(1, 'basic.consume-ok');
      expect(await raw.expectMethod(1, 'basic.deliver')).toMatchObject({ deliveryTag: 1 });
      await raw.nextFrame();
      await raw.nextFrame();
      raw.send(1, 'queue.declare', { queue, passive: true });
      expect(await raw.expectMethod(1, 'queue.declare-ok')).toMatchObject({ messageCount: 1 });
    });

    it('prefetch 0 means no limit', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(20));
      const consumerChannel = await connection.createChannel();
      await consumerChannel.prefetch(0);
      const { inbox } = await consumeInto(consumerChannel, queue);
      await inbox.waitFor(20);
      await settleTo(ch, queue, 0);
    });

    it('raising the prefetch lets waiting messages through', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(5));
      const consumerChannel = await connection.createChannel();
      await consumerChannel.prefetch(1, true);
      const { inbox } = await consumeInto(consumerChannel, queue);
      await settleTo(ch, queue, 4);
      await consumerChannel.prefetch(3, true);
      await settleTo(ch, queue, 2);
      expect(inbox.items.length).toBe(3);
    });
  });

  describe('unacked messages when their channel or connection closes', () => {
    it('return to their original place with redelivered=true when the channel closes', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(6));
      const first = await connection.createChannel();
      await first.prefetch(3);
      const { inbox, consumerTag } = await consumeInto(first, queue);
      const held = await inbox.waitFor(3);
      expect(bodies(held)).toEqual(['m1', 'm2', 'm3']);
      // Cancel first, so that the ack frees no room for m4 on this channel.
      await first.cancel(consumerTag);
      first.ack(held[1]);
      await first.close();

      const second = await connection.createChannel();
      const again = await consumeInto(second, queue, { noAck: true });
      const redelivered = await again.inbox.waitFor(5);
      expect(redelivered.map((m) => [m.content.toString(), m.fields.redelivered])).toEqual([
        ['m1', true], ['m3', true], ['m4', false], ['m5', false], ['m6', false],
      ]);
    });

    it('return to their original place with redelivered=true when the connection closes', async () => {
      const { ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(4));
      const doomed = await clients.amqplib();
      const doomedChannel = await doomed.createChannel();
      await doomedChannel.prefetch(2);
      const { inbox } = await consumeInto(doomedChannel, queue);
      await inbox.waitFor(2);
      await doomed.close();

      const { inbox: after } = await consumeInto(ch, queue, { noAck: true });
      const messages = await after.waitFor(4);
      expect(messages.map((m) => [m.content.toString(), m.fields.redelivered])).toEqual([
        ['m1', true], ['m2', true], ['m3', false], ['m4', false],
      ]);
    });

    it('return when the socket just drops, without a close handshake', async () => {
      const { ch } = await connectionAndChannel();
      const queue = await queueWith(ch, numbered(2));
      const raw = await clients.raw();
      raw.send(1, 'basic.consume', { queue, consumerTag: 'dropper' });
      await raw.expectMethod(1, 'basic.consume-ok');
      await raw.expectMethod(1, 'basic.deliver');
      await raw.destroy();
      const { inbox } = await consumeInto(ch, queue, { noAck: true });
      const messages = await inbox.waitFor(2);
      expect(messages.map((m) => [m.content.toString(), m.fields.redelivered])).toEqual([['m1', true], ['m2', true]]);
    });
  });

  describe('priority queues', () => {
    it('deliver higher priorities first and keep FIFO within a level (x-max-priority 10, prefetch 1, manual ack)', async () => {
      const { connection, ch } = await connectionAndChannel();
      const queue = unique('q.priority');
      await ch.assertQueue(queue, { durable: false, arguments: { 'x-max-priority': 10 } });
      const published: [string, number | undefined][] = [
        ['p0-a', undefined], ['p5-a', 5], ['p1-a', 1], ['p9-a', 9], ['p5-b', 5], ['p0-b', 0],
        ['p10-a', 10], ['p200-clamped', 200], ['p1-b', 1], ['p9-b', 9], ['p5-c', 5],
      ];
      for (const [body, priority] of published) ch.sendToQueue(queue, Buffer.from(body), priority === undefined ? {} : { priority });
      await settleTo(ch, queue, published.length);

      const consumerChannel = await connection.createChannel();
      await consumerChannel.prefetch(1);
      const inbox = new Inbox<string>();
      await consumerChannel.consume(queue, (message) => {
        if (!message) return;
        inbox.push(message.content.toString());
        // A message published while the first is held overtakes the waiting ones of lower priority.
        if (inbox.items.length === 1) ch.sendToQueue(queue, Buffer.from('late-p8'), { priority: 8 });
        setTimeout(() => consumerChannel.ack(message), inbox.items.length === 1 ? 200 : 0);
      });
      expect(await inbox.waitFor(published.length + 1)).toEqual([
        'p10-a', 'p200-clamped', 'p9-a', 'p9-b', 'late-p8', 'p5-a', 'p5-b', 'p5-c', 'p1-a', 'p1-b', 'p0-a', 'p0-b',
      ]);
    });

    it('basic.get also takes the highest priority first', async () => {
      const { ch } = await connectionAndChannel();
      const queue = unique('q.priority-get');
      await ch.assertQueue(queue, { durable: false, arguments: { 'x-max-priority': 3 } });
      ch.sendToQueue(queue, Buffer.from('low'), { priority: 1 });
      ch.sendToQueue(queue, Buffer.from('high'), { priority: 3 });
      ch.sendToQueue(queue, Buffer.from('none'));
      await settleTo(ch, queue, 3);
      const got: string[] = [];
      for (let i = 0; i < 3; i++) {
        const message = await ch.get(queue, { noAck: true });
        got.push(message ? message.content.toString() : 'empty');
      }
      expect(got).toEqual(['high', 'low', 'none']);
    });

    it('a requeued message goes back to its place within its priority level', async () => {
      const { ch } = await connectionAndChannel();
      const queue = unique('q.priority-requeue');
      await ch.assertQueue(queue, { durable: false, arguments: { 'x-max-priority': 5 } });
      for (const [body, priority] of [['a5', 5], ['b5', 5], ['c1', 1]] as const) ch.sendToQueue(queue, Buffer.from(body), { priority });
      await settleTo(ch, queue, 3);
      const a = await ch.get(queue);
      expect(a && a.content.toString()).toBe('a5');
      ch.reject(a as amqp.GetMessage, true);
      const order: [string, boolean][] = [];
      for (let i = 0; i < 3; i++) {
        const message = await ch.get(queue, { noAck: true });
        if (message) order.push([message.content.toString(), message.fields.redelivered]);
      }
      expect(order).toEqual([['a5', true], ['b5', false], ['c1', false]]);
    });
  });

  describe('channel.flow', () => {
    it('active=true is answered; pausing with active=false is refused with 540, as RabbitMQ 3.x does', async () => {
      const raw = await clients.raw();
      raw.send(1, 'channel.flow', { active: true });
      expect(await raw.expectMethod(1, 'channel.flow-ok')).toEqual({ active: true });
      raw.send(1, 'channel.flow', { active: false });
      expect(await raw.expectMethod(0, 'connection.close')).toEqual({ replyCode: 540, replyText: 'NOT_IMPLEMENTED - active=false', classId: 20, methodId: 20 });
    });
  });
});
