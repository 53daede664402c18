/**
 * Whole workflows through the other client APIs: amqplib's callback API, and
 * rabbitmq-client's Consumer and Publisher, which declare, bind, set qos,
 * confirm and ack on their own.
 */
import type * as cb from 'amqplib/callback_api';
import type { AsyncMessage } from 'rabbitmq-client';
import { useWarren } from '../../support/warren-app';
import { Inbox, unique, useClients, waitFor } from './support/clients';

jest.setTimeout(60000);

/** Turns a node-style callback call into a promise. */
function call<T>(invoke: (callback: (error: unknown, value: T) => void) => void): Promise<T> {
  return new Promise((done, fail) => invoke((error, value) => (error ? fail(error) : done(value))));
}

describe('AMQP through other client APIs', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  describe('amqplib callback API', () => {
    async function channel(connection: cb.Connection): Promise<cb.Channel> {
      const ch = await call<cb.Channel>((done) => connection.createChannel(done));
      ch.on('error', () => undefined);
      return ch;
    }

    it('declares, binds, consumes with prefetch, acks and cancels', async () => {
      const connection = await clients.callback();
      const ch = await channel(connection);
      const exchange = unique('cb.ex');
      await call((done) => ch.assertExchange(exchange, 'topic', { durable: false }, done));
      const { queue } = await call<{ queue: string }>((done) => ch.assertQueue('', { exclusive: true }, done));
      await call((done) => ch.bindQueue(queue, exchange, 'a.*', {}, done));
      await call((done) => ch.prefetch(1, false, done));

      const inbox = new Inbox<string>();
      let held = 0;
      let worst = 0;
      const { consumerTag } = await call<{ consumerTag: string }>((done) => ch.consume(queue, (message) => {
        if (!message) return;
        worst = Math.max(worst, ++held);
        inbox.push(message.content.toString());
        setTimeout(() => {
          held--;
          ch.ack(message);
        }, 2);
      }, {}, done));
      for (const key of ['a.1', 'b.2', 'a.3', 'a.4.5', 'a.6']) ch.publish(exchange, key, Buffer.from(key));
      expect(await inbox.waitFor(3)).toEqual(['a.1', 'a.3', 'a.6']);
      expect(worst).toBe(1);
      await call((done) => ch.cancel(consumerTag, done));
      await waitFor(() => held === 0, 'the last ack');
      const { messageCount } = await call<{ messageCount: number }>((done) => ch.checkQueue(queue, done));
      expect(messageCount).toBe(0);
    });

    it('reports a channel error to the callback with its code, and other channels carry on', async () => {
      const connection = await clients.callback();
      const failed = await channel(connection);
      const error = await call((done) => failed.checkQueue('not-there', done)).catch((e: Error & { code?: number }) => e);
      expect(error).toMatchObject({ code: 404, message: expect.stringContaining("NOT_FOUND - no queue 'not-there' in vhost '/'") });
      const other = await channel(connection);
      await call((done) => other.checkExchange('amq.direct', done));
    });

    it('gets a basic.cancel as a null message when the queue is deleted', async () => {
      const connection = await clients.callback();
      const ch = await channel(connection);
      const queue = unique('cb.q');
      await call((done) => ch.assertQueue(queue, { durable: false }, done));
      const cancelled = new Promise<null>((done) => ch.consume(queue, (message) => message === null && done(null)));
      const deleter = await channel(connection);
      await call((done) => deleter.deleteQueue(queue, {}, done));
      await expect(cancelled).resolves.toBeNull();
    });
  });

  describe('rabbitmq-client Consumer and Publisher', () => {
    it('a confirming Publisher and a Consumer with qos and bindings move messages end to end', async () => {
      const connection = await clients.rabbit();
      const exchange = unique('rc.ex');
      const queue = unique('rc.q');
      const received = new Inbox<AsyncMessage>();
      const consumer = connection.createConsumer({
        queue,
        queueOptions: { exclusive: true },
        qos: { prefetchCount: 2 },
        exchanges: [{ exchange, type: 'topic', durable: false, autoDelete: false }],
        queueBindings: [{ exchange, routingKey: 'events.#' }],
      }, async (message) => {
        received.push(message);
      });
      await new Promise<void>((done) => consumer.once('ready', () => done()));
      const publisher = connection.createPublisher({ confirm: true, exchanges: [{ exchange, type: 'topic', durable: false, autoDelete: false }] });
      try {
        for (let i = 0; i < 20; i++) await publisher.send({ exchange, routingKey: `events.${i % 2 ? 'odd' : 'even'}` }, { i });
        await publisher.send({ exchange, routingKey: 'other.x' }, { i: -1 });
        const messages = await received.waitFor(20);
        expect(messages.map((m) => (m.body as { i: number }).i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect(messages.every((m) => m.contentType === 'application/json')).toBe(true);
      } finally {
        await publisher.close();
        await consumer.close();
      }
      expect(received.items).toHaveLength(20);
    });

    it('a Consumer whose handler throws gets the message again, redelivered', async () => {
      const connection = await clients.rabbit();
      const queue = unique('rc.retry');
      const seen: [string, boolean][] = [];
      const consumer = connection.createConsumer({ queue, queueOptions: { exclusive: true }, requeue: true }, async (message) => {
        seen.push([String(message.body), message.redelivered]);
        if (!message.redelivered) throw new Error('try again');
      });
      consumer.on('error', () => undefined);
      await new Promise<void>((done) => consumer.once('ready', () => done()));
      const ch = await connection.acquire();
      await ch.basicPublish({ routingKey: queue }, 'flaky');
      await waitFor(() => seen.length === 2, 'the redelivery');
      expect(seen).toEqual([['flaky', false], ['flaky', true]]);
      await ch.close();
      await consumer.close();
    });
  });
});
