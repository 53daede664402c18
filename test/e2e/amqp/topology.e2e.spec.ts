/**
 * exchange.* and queue.* over real TCP: declare (passive, server-named,
 * exclusive, auto-delete, nowait), delete (if-unused, if-empty), bind, unbind
 * and purge, with routing checked end to end and errors as RabbitMQ words them.
 */
import * as amqp from 'amqplib';
import { useWarren } from '../../support/warren-app';
import { closedWith, consumeInto, unique, useClients, waitFor } from './support/clients';

jest.setTimeout(60000);

describe('AMQP topology methods', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  async function channel(): Promise<amqp.Channel> {
    return (await clients.amqplib()).createChannel();
  }

  /** Every message on `queue` right now, via basic.get (no-ack). */
  async function drain(ch: amqp.Channel, queue: string): Promise<string[]> {
    const got: string[] = [];
    for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) got.push(m.content.toString());
    return got;
  }

  /** Publishes, then makes a round trip so the publish has been routed before the test looks. */
  async function publishAndSync(ch: amqp.Channel, exchange: string, key: string, body: string, options?: amqp.Options.Publish) {
    ch.publish(exchange, key, Buffer.from(body), options);
    await ch.checkExchange('amq.direct');
  }

  describe('exchange.declare', () => {
    it.each(['direct', 'fanout', 'topic', 'headers'])('declares a %s exchange; a passive declare then finds it', async (type) => {
      const ch = await channel();
      const name = unique(`ex.${type}`);
      await ch.assertExchange(name, type, { durable: false });
      await expect(ch.checkExchange(name)).resolves.toBeDefined();
      await ch.assertExchange(name, type, { durable: false });
    });

    it('a passive declare of a missing exchange closes the channel with 404; the connection stays usable', async () => {
      const connection = await clients.amqplib();
      const ch = await connection.createChannel();
      const text = await closedWith(ch.checkExchange('no-such-exchange'), 404);
      expect(text).toBe("NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'");
      const other = await connection.createChannel();
      await other.checkExchange('amq.direct');
    });

    it('redeclaring with another type is 406 PRECONDITION_FAILED naming the argument', async () => {
      const ch = await channel();
      const name = unique('ex.retype');
      await ch.assertExchange(name, 'direct', { durable: false });
      const text = await closedWith((await channel()).assertExchange(name, 'fanout', { durable: false }), 406);
      expect(text).toMatch(new RegExp(`^PRECONDITION_FAILED - inequivalent arg 'type' for exchange '${name}' in vhost '/'`));
    });

    it("refuses names starting with 'amq.' with 403 ACCESS_REFUSED", async () => {
      const text = await closedWith((await channel()).assertExchange('amq.mine', 'direct'), 403);
      expect(text).toMatch(/^ACCESS_REFUSED - exchange name 'amq.mine' contains reserved prefix 'amq.\*'/);
    });

    it('an unknown exchange type is a 503 COMMAND_INVALID connection error', async () => {
      const connection = await clients.amqplib();
      const closed = new Promise<Error & { code?: number }>((done) => connection.once('error', done));
      const ch = await connection.createChannel();
      await expect(ch.assertExchange(unique('ex.bad'), 'no-such-type')).rejects.toThrow();
      const error = await closed;
      expect(error.code).toBe(503);
      expect(error.message).toMatch(/with message "COMMAND_INVALID - unknown exchange type 'no-such-type'"/);
    });
  });

  describe('exchange.delete', () => {
    it('deletes an exchange, after which a passive declare fails', async () => {
      const ch = await channel();
      const name = unique('ex.del');
      await ch.assertExchange(name, 'topic', { durable: false });
      await ch.deleteExchange(name);
      expect(await closedWith(ch.checkExchange(name), 404)).toMatch(/^NOT_FOUND - /);
    });

    it('deleting an exchange that does not exist succeeds, as in RabbitMQ 3.x', async () => {
      const ch = await channel();
      await expect(ch.deleteExchange(unique('never-declared'))).resolves.toEqual({});
      await ch.checkExchange('amq.direct');
    });

    it('the default and amq.* exchanges cannot be deleted (403)', async () => {
      expect(await closedWith((await channel()).deleteExchange('amq.direct'), 403)).toBe("ACCESS_REFUSED - deletion of system exchange 'amq.direct' in vhost '/' not allowed");
    });

    it('with if-unused, refuses an exchange that has bindings (406) and deletes an unused one', async () => {
      const connection = await clients.amqplib();
      const ch = await connection.createChannel();
      const name = unique('ex.used');
      await ch.assertExchange(name, 'fanout', { durable: false });
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, name, '');
      const text = await closedWith(ch.deleteExchange(name, { ifUnused: true }), 406);
      expect(text).toBe(`PRECONDITION_FAILED - exchange '${name}' in vhost '/' in use`);
      const again = await connection.createChannel();
      await again.unbindQueue(queue, name, '');
      await again.deleteExchange(name, { ifUnused: true });
      await closedWith(again.checkExchange(name), 404);
    });
  });

  describe('exchange.bind and exchange.unbind', () => {
    it('routes through an exchange-to-exchange binding until it is unbound', async () => {
      const ch = await channel();
      const source = unique('e2e.src');
      const destination = unique('e2e.dst');
      await ch.assertExchange(source, 'topic', { durable: false });
      await ch.assertExchange(destination, 'direct', { durable: false });
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, destination, 'orders.eu');
      await ch.bindExchange(destination, source, 'orders.*');

      await publishAndSync(ch, source, 'orders.eu', 'routed');
      await publishAndSync(ch, source, 'orders.us', 'matches the e2e binding, not the queue binding');
      await publishAndSync(ch, source, 'invoices.eu', 'matches nothing');
      expect(await drain(ch, queue)).toEqual(['routed']);

      await ch.unbindExchange(destination, source, 'orders.*');
      await publishAndSync(ch, source, 'orders.eu', 'after unbind');
      expect(await drain(ch, queue)).toEqual([]);
    });
  });

  describe('queue.declare', () => {
    it('gives a server-named queue an amq.gen- name and reports counts', async () => {
      const ch = await channel();
      const declared = await ch.assertQueue('', { exclusive: true });
      expect(declared).toEqual({ queue: expect.stringMatching(/^amq\.gen-[A-Za-z0-9_-]{22}$/), messageCount: 0, consumerCount: 0 });
      const second = await ch.assertQueue('', { exclusive: true });
      expect(second.queue).not.toBe(declared.queue);
    });

    it('a passive declare reports the message and consumer counts of an existing queue', async () => {
      const ch = await channel();
      const queue = unique('q.passive');
      await ch.assertQueue(queue, { durable: false, autoDelete: false });
      ch.sendToQueue(queue, Buffer.from('a'));
      ch.sendToQueue(queue, Buffer.from('b'));
      const consumerChannel = await channel();
      await consumerChannel.prefetch(1);
      await consumerChannel.consume(queue, () => undefined);
      await waitFor(async () => (await ch.checkQueue(queue)).consumerCount === 1, 'the consumer to be counted');
      expect(await ch.checkQueue(queue)).toEqual({ queue, messageCount: 1, consumerCount: 1 });
      await ch.deleteQueue(queue);
    });

    it("a passive declare of a missing queue is 404 \"NOT_FOUND - no queue 'x' in vhost '/'\"", async () => {
      const connection = await clients.amqplib();
      const ch = await connection.createChannel();
      expect(await closedWith(ch.checkQueue('x'), 404)).toBe("NOT_FOUND - no queue 'x' in vhost '/'");
      // The channel is gone but the connection is not.
      await expect(ch.checkQueue('x')).rejects.toThrow(/Channel closed/);
      await (await connection.createChannel()).checkExchange('amq.direct');
    });

    it('redeclaring with other arguments is 406 inequivalent arg', async () => {
      const ch = await channel();
      const queue = unique('q.args');
      await ch.assertQueue(queue, { durable: false, arguments: { 'x-max-priority': 5 } });
      const text = await closedWith((await channel()).assertQueue(queue, { durable: false, arguments: { 'x-max-priority': 6 } }), 406);
      expect(text).toBe(`PRECONDITION_FAILED - inequivalent arg 'x-max-priority' for queue '${queue}' in vhost '/': received '6' but current is '5'`);
      await ch.deleteQueue(queue);
    });

    it("refuses queue names starting with 'amq.' with 403", async () => {
      expect(await closedWith((await channel()).assertQueue('amq.mine'), 403)).toMatch(/^ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.\*'/);
    });

    it('a reply text longer than 255 bytes is cut to 255, ending in "...", as RabbitMQ does', async () => {
      const owner = await clients.amqplib();
      const queue = unique(`q.${'long'.repeat(30)}`);
      await (await owner.createChannel()).assertQueue(queue, { exclusive: true });
      const text = await closedWith((await channel()).checkQueue(queue), 405);
      expect(Buffer.byteLength(text)).toBe(255);
      expect(text).toMatch(/^RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '.*\.\.\.$/);
    });

    describe('exclusive', () => {
      it('is locked to its connection (405 for declare, consume and get elsewhere) and vanishes when its owner closes', async () => {
        const owner = await clients.amqplib();
        const ownerChannel = await owner.createChannel();
        const queue = unique('q.exclusive');
        await ownerChannel.assertQueue(queue, { exclusive: true });
        await ownerChannel.consume(queue, () => undefined);

        const other = await clients.amqplib();
        for (const attempt of [
          (ch: amqp.Channel) => ch.assertQueue(queue, { exclusive: true }),
          (ch: amqp.Channel) => ch.consume(queue, () => undefined),
          (ch: amqp.Channel) => ch.get(queue),
          (ch: amqp.Channel) => ch.deleteQueue(queue),
        ]) {
          const text = await closedWith(attempt(await other.createChannel()), 405);
          expect(text).toMatch(new RegExp(`^RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '${queue}' in vhost '/'`));
        }
        // Another channel of the owning connection may use it.
        await (await owner.createChannel()).checkQueue(queue);

        await owner.close();
        const checker = await other.createChannel();
        await waitFor(async () => {
          try {
            await (await other.createChannel()).checkQueue(queue);
            return false;
          } catch {
            return true;
          }
        }, 'the exclusive queue to vanish');
        expect(await closedWith(checker.checkQueue(queue), 404)).toMatch(/^NOT_FOUND - no queue/);
      });
    });

    describe('auto-delete', () => {
      it('stays until it had a consumer, then vanishes when its last consumer cancels', async () => {
        const ch = await channel();
        const queue = unique('q.auto');
        await ch.assertQueue(queue, { autoDelete: true, durable: false });
        await ch.checkQueue(queue);
        const first = await ch.consume(queue, () => undefined);
        const second = await ch.consume(queue, () => undefined);
        await ch.cancel(first.consumerTag);
        expect((await ch.checkQueue(queue)).consumerCount).toBe(1);
        await ch.cancel(second.consumerTag);
        await waitFor(async () => {
          const probe = await channel();
          return probe.checkQueue(queue).then(() => false, () => true);
        }, 'the auto-delete queue to vanish');
      });

      it('vanishes when the channel of its last consumer closes', async () => {
        const ch = await channel();
        const queue = unique('q.auto-close');
        await ch.assertQueue(queue, { autoDelete: true, durable: false });
        await ch.consume(queue, () => undefined);
        await ch.close();
        await waitFor(async () => (await channel()).checkQueue(queue).then(() => false, () => true), 'the auto-delete queue to vanish');
      });
    });

    it('with nowait, declares the queue without answering', async () => {
      const raw = await clients.raw();
      const queue = unique('q.nowait');
      raw.send(1, 'queue.declare', { queue, exclusive: true, nowait: true });
      raw.send(1, 'queue.declare', { queue, passive: true });
      // The only answer is to the passive declare, which finds the queue.
      expect(await raw.expectMethod(1, 'queue.declare-ok')).toEqual({ queue, messageCount: 0, consumerCount: 0 });
      await raw.sync();
      expect(raw.pending).toEqual([]);
    });

    it('an empty queue name in later methods means the last queue declared on the channel', async () => {
      const raw = await clients.raw();
      raw.send(1, 'queue.declare', { queue: '', exclusive: true });
      const { queue } = await raw.expectMethod(1, 'queue.declare-ok');
      raw.publish(1, { exchange: '', routingKey: queue }, Buffer.from('x'));
      raw.send(1, 'queue.purge', { queue: '' });
      expect(await raw.expectMethod(1, 'queue.purge-ok')).toEqual({ messageCount: 1 });
    });
  });

  describe('queue.bind and queue.unbind', () => {
    it('routes by binding key until unbound (topic)', async () => {
      const ch = await channel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, 'amq.topic', 'stock.#');
      await publishAndSync(ch, 'amq.topic', 'stock.nyse.ibm', 'one');
      await publishAndSync(ch, 'amq.topic', 'bond.nyse', 'not matched');
      expect(await drain(ch, queue)).toEqual(['one']);
      await ch.unbindQueue(queue, 'amq.topic', 'stock.#');
      await publishAndSync(ch, 'amq.topic', 'stock.nyse.ibm', 'two');
      expect(await drain(ch, queue)).toEqual([]);
    });

    it('routes by headers with x-match any', async () => {
      const ch = await channel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      await ch.bindQueue(queue, 'amq.headers', '', { 'x-match': 'any', format: 'pdf', type: 'report' });
      await publishAndSync(ch, 'amq.headers', '', 'pdf', { headers: { format: 'pdf' } });
      await publishAndSync(ch, 'amq.headers', '', 'zip', { headers: { format: 'zip' } });
      expect(await drain(ch, queue)).toEqual(['pdf']);
    });

    it('binding to a missing queue or exchange is 404', async () => {
      const ch = await channel();
      expect(await closedWith(ch.bindQueue('no-queue', 'amq.direct', 'k'), 404)).toBe("NOT_FOUND - no queue 'no-queue' in vhost '/'");
      const { queue } = await (await channel()).assertQueue('', { exclusive: false, autoDelete: false, durable: false });
      expect(await closedWith((await channel()).bindQueue(queue, 'no-exchange', 'k'), 404)).toBe("NOT_FOUND - no exchange 'no-exchange' in vhost '/'");
      await (await channel()).deleteQueue(queue);
    });

    it('binding to the default exchange is 403 ACCESS_REFUSED', async () => {
      const ch = await channel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      expect(await closedWith(ch.bindQueue(queue, '', queue), 403)).toMatch(/^ACCESS_REFUSED - operation not permitted on the default exchange/);
    });
  });

  describe('queue.purge', () => {
    it('removes the ready messages, reports how many, and leaves unacked ones with their consumer', async () => {
      const ch = await channel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      for (const body of ['a', 'b', 'c', 'd']) ch.sendToQueue(queue, Buffer.from(body));
      const held = await ch.get(queue);
      expect(held && held.content.toString()).toBe('a');
      expect(await ch.purgeQueue(queue)).toEqual({ messageCount: 3 });
      expect((await ch.checkQueue(queue)).messageCount).toBe(0);
      ch.nack(held as amqp.GetMessage, false, true);
      expect(await drain(ch, queue)).toEqual(['a']);
    });
  });

  describe('queue.delete', () => {
    it('deletes a queue and returns how many messages it held', async () => {
      const ch = await channel();
      const queue = unique('q.delete');
      await ch.assertQueue(queue, { durable: false });
      for (let i = 0; i < 3; i++) ch.sendToQueue(queue, Buffer.from(String(i)));
      expect(await ch.deleteQueue(queue)).toEqual({ messageCount: 3 });
      expect(await closedWith(ch.checkQueue(queue), 404)).toMatch(/^NOT_FOUND/);
    });

    it('deleting a queue that does not exist succeeds with a count of 0, as in RabbitMQ 3.x', async () => {
      const ch = await channel();
      expect(await ch.deleteQueue(unique('never-declared'))).toEqual({ messageCount: 0 });
      await ch.checkExchange('amq.direct');
    });

    it('with if-empty, refuses a queue that holds messages (406)', async () => {
      const ch = await channel();
      const queue = unique('q.ifempty');
      await ch.assertQueue(queue, { durable: false });
      ch.sendToQueue(queue, Buffer.from('x'));
      expect(await closedWith(ch.deleteQueue(queue, { ifEmpty: true }), 406)).toBe(`PRECONDITION_FAILED - queue '${queue}' in vhost '/' not empty`);
      const again = await channel();
      await again.purgeQueue(queue);
      expect(await again.deleteQueue(queue, { ifEmpty: true })).toEqual({ messageCount: 0 });
    });

    it('with if-unused, refuses a queue that has consumers (406)', async () => {
      const ch = await channel();
      const queue = unique('q.ifunused');
      await ch.assertQueue(queue, { durable: false });
      const { consumerTag } = await ch.consume(queue, () => undefined);
      expect(await closedWith((await channel()).deleteQueue(queue, { ifUnused: true }), 406)).toBe(`PRECONDITION_FAILED - queue '${queue}' in vhost '/' in use`);
      await ch.cancel(consumerTag);
      expect(await ch.deleteQueue(queue, { ifUnused: true })).toEqual({ messageCount: 0 });
    });

    it("sends basic.cancel to the queue's consumers (amqplib calls the consumer with null) and the channel stays usable", async () => {
      const consumerChannel = await channel();
      const queue = unique('q.cancelled');
      await consumerChannel.assertQueue(queue, { durable: false });
      const consumer = await consumeInto(consumerChannel, queue);
      const cancelEvents: string[] = [];
      consumerChannel.on('cancel', ({ consumerTag }: { consumerTag: string }) => cancelEvents.push(consumerTag));
      await (await channel()).deleteQueue(queue);
      await consumer.cancelled;
      expect(cancelEvents).toEqual([consumer.consumerTag]);
      await consumerChannel.checkExchange('amq.direct');
    });

    it('sends basic.cancel to rabbitmq-client consumers too', async () => {
      const connection = await clients.rabbit();
      const ch = await connection.acquire();
      const queue = unique('q.cancelled-rc');
      await ch.queueDeclare({ queue, durable: false });
      const { consumerTag } = await ch.basicConsume({ queue }, () => undefined);
      const cancelled = new Promise<string>((done) => ch.once('basic.cancel', done));
      await (await channel()).deleteQueue(queue);
      expect(await cancelled).toBe(consumerTag);
      await ch.close();
    });

    it('a deleted queue no longer receives what its bindings routed', async () => {
      const ch = await channel();
      const queue = unique('q.gone');
      await ch.assertQueue(queue, { durable: false });
      await ch.bindQueue(queue, 'amq.fanout', '');
      await ch.deleteQueue(queue);
      await ch.assertQueue(queue, { durable: false });
      await publishAndSync(ch, 'amq.fanout', '', 'after');
      expect(await drain(ch, queue)).toEqual([]);
      await ch.deleteQueue(queue);
    });
  });
});
