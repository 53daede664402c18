/**
 * Pull and acknowledgements over real TCP: basic.get / get-ok / get-empty with
 * message counts; ack, nack and reject with `multiple` and `requeue`; unknown
 * delivery tags; basic.recover and recover-async.
 */
import * as amqp from 'amqplib';
import { useWarren } from '../../support/warren-app';
import { bodies, closedWith, consumeInto, unique, useClients, waitFor } from './support/clients';

jest.setTimeout(60000);

describe('AMQP basic.get and acknowledgements', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  async function setup(messages: string[]): Promise<{ connection: amqp.ChannelModel; ch: amqp.Channel; queue: string }> {
    const connection = await clients.amqplib();
    const ch = await connection.createChannel();
    const { queue } = await ch.assertQueue(unique('q.ack'), { durable: false });
    for (const body of messages) ch.sendToQueue(queue, Buffer.from(body));
    await waitFor(async () => (await ch.checkQueue(queue)).messageCount === messages.length, 'messages to be queued');
    return { connection, ch, queue };
  }

  /** Takes every ready message with basic.get (no-ack), returning [body, redelivered] pairs. */
  async function takeAll(ch: amqp.Channel, queue: string): Promise<[string, boolean][]> {
    const taken: [string, boolean][] = [];
    for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) taken.push([m.content.toString(), m.fields.redelivered]);
    return taken;
  }

  async function getOne(ch: amqp.Channel, queue: string, options?: amqp.Options.Get): Promise<amqp.GetMessage> {
    const message = await ch.get(queue, options);
    if (!message) throw new Error(`expected a message on ${queue}`);
    return message;
  }

  const counts = async (ch: amqp.Channel, queue: string) => (await ch.checkQueue(queue)).messageCount;

  describe('basic.get', () => {
    it('answers get-ok with the message, its routing, and how many messages remain', async () => {
      const { ch, queue } = await setup(['first', 'second', 'third']);
      const first = await getOne(ch, queue, { noAck: true });
      expect(first.content.toString()).toBe('first');
      expect(first.fields).toMatchObject({ deliveryTag: 1, redelivered: false, exchange: '', routingKey: queue, messageCount: 2 });
      const second = await getOne(ch, queue, { noAck: true });
      expect(second.fields).toMatchObject({ deliveryTag: 2, messageCount: 1 });
    });

    it('answers get-empty on an empty queue (amqplib returns false)', async () => {
      const { ch, queue } = await setup([]);
      expect(await ch.get(queue)).toBe(false);
    });

    it('without no-ack holds the message until acked; closing the channel returns it redelivered', async () => {
      const { connection, ch, queue } = await setup(['held']);
      const other = await connection.createChannel();
      await getOne(other, queue);
      expect(await counts(ch, queue)).toBe(0);
      await other.close();
      expect(await takeAll(ch, queue)).toEqual([['held', true]]);
    });

    it('from a missing queue is 404', async () => {
      const { connection } = await setup([]);
      expect(await closedWith((await connection.createChannel()).get('missing-queue'), 404)).toBe("NOT_FOUND - no queue 'missing-queue' in vhost '/'");
    });
  });

  describe('basic.ack', () => {
    it('removes one message for good', async () => {
      const { connection, ch, queue } = await setup(['a', 'b']);
      const reader = await connection.createChannel();
      const a = await getOne(reader, queue);
      reader.ack(a);
      await reader.close();
      expect(await takeAll(ch, queue)).toEqual([['b', false]]);
    });

    it('with multiple, settles every delivery up to the tag and no further', async () => {
      const { connection, ch, queue } = await setup(['m1', 'm2', 'm3', 'm4']);
      const reader = await connection.createChannel();
      const got = [];
      for (let i = 0; i < 4; i++) got.push(await getOne(reader, queue));
      reader.ack(got[2], true);
      await reader.close();
      expect(await takeAll(ch, queue)).toEqual([['m4', true]]);
    });

    it('ackAll (tag 0 with multiple) settles everything outstanding on a consumer channel', async () => {
      const { connection, ch, queue } = await setup(['m1', 'm2', 'm3']);
      const consumer = await connection.createChannel();
      const { inbox, consumerTag } = await consumeInto(consumer, queue);
      await inbox.waitFor(3);
      await consumer.cancel(consumerTag);
      consumer.ackAll();
      await consumer.close();
      expect(await ch.checkQueue(queue)).toMatchObject({ messageCount: 0 });
    });

    it("an unknown delivery tag closes the channel with 406 'PRECONDITION_FAILED - unknown delivery tag'", async () => {
      const { connection, queue } = await setup(['a']);
      const ch = await connection.createChannel();
      const closed = new Promise<Error & { code?: number }>((done) => ch.once('error', done));
      ch.ack({ fields: { deliveryTag: 42 } } as amqp.Message);
      const error = await closed;
      expect(error.code).toBe(406);
      expect(error.message).toMatch(/with message "PRECONDITION_FAILED - unknown delivery tag 42"/);
      // The connection is still fine.
      await (await connection.createChannel()).checkQueue(queue);
    });

    it('acking the same tag twice is 406 too', async () => {
      const { connection, queue } = await setup(['a']);
      const ch = await connection.createChannel();
      const closed = new Promise<Error & { code?: number }>((done) => ch.once('error', done));
      const message = await getOne(ch, queue);
      ch.ack(message);
      ch.ack(message);
      const error = await closed;
      expect(error.code).toBe(406);
      expect(error.message).toMatch(/"PRECONDITION_FAILED - unknown delivery tag 1"/);
    });

    it('a tag from another channel is unknown on this one', async () => {
      const { connection, queue } = await setup(['a']);
      const owner = await connection.createChannel();
      const message = await getOne(owner, queue);
      const stranger = await connection.createChannel();
      const closed = new Promise<Error & { code?: number }>((done) => stranger.once('error', done));
      stranger.ack(message);
      expect((await closed).code).toBe(406);
      owner.ack(message);
      await owner.checkQueue(queue);
    });

    it('an unacked message stays unacked when its consumer channel dies from an error, and comes back redelivered', async () => {
      const { connection, ch, queue } = await setup(['precious']);
      const doomed = await connection.createChannel();
      await getOne(doomed, queue);
      await closedWith(doomed.checkQueue('does-not-exist'), 404);
      expect(await takeAll(ch, queue)).toEqual([['precious', true]]);
    });
  });

  describe('basic.nack and basic.reject', () => {
    it('nack with requeue puts the message back in its place, marked redelivered', async () => {
      const { connection, ch, queue } = await setup(['m1', 'm2', 'm3']);
      const reader = await connection.createChannel();
      const m1 = await getOne(reader, queue);
      reader.nack(m1, false, true);
      await reader.checkQueue(queue);
      expect(await takeAll(ch, queue)).toEqual([['m1', true], ['m2', false], ['m3', false]]);
    });

    it('nack with multiple and requeue returns every message up to the tag, in their original order', async () => {
      const { connection, ch, queue } = await setup(['m1', 'm2', 'm3', 'm4', 'm5']);
      const reader = await connection.createChannel();
      const got = [];
      for (let i = 0; i < 4; i++) got.push(await getOne(reader, queue));
      reader.nack(got[2], true, true);
      await reader.checkQueue(queue);
      expect(await takeAll(ch, queue)).toEqual([['m1', true], ['m2', true], ['m3', true], ['m5', false]]);
      // m4 is still held by the reader.
      reader.ack(got[3]);
      await reader.close();
      expect(await takeAll(ch, queue)).toEqual([]);
    });

    it('nack without requeue drops the message', async () => {
      const { connection, ch, queue } = await setup(['m1', 'm2']);
      const reader = await connection.createChannel();
      reader.nack(await getOne(reader, queue), false, false);
      await reader.close();
      expect(await takeAll(ch, queue)).toEqual([['m2', false]]);
    });

    it('nackAll with requeue returns everything outstanding', async () => {
      const { connection, ch, queue } = await setup(['m1', 'm2', 'm3']);
      const reader = await connection.createChannel();
      for (let i = 0; i < 3; i++) await getOne(reader, queue);
      reader.nackAll(true);
      await reader.checkQueue(queue);
      expect(await takeAll(ch, queue)).toEqual([['m1', true], ['m2', true], ['m3', true]]);
    });

    it('reject with requeue returns the message; reject without drops it', async () => {
      const { connection, ch, queue } = await setup(['keep', 'drop', 'next']);
      const reader = await connection.createChannel();
      const keep = await getOne(reader, queue);
      const drop = await getOne(reader, queue);
      reader.reject(drop, false);
      reader.reject(keep, true);
      await reader.close();
      expect(await takeAll(ch, queue)).toEqual([['keep', true], ['next', false]]);
    });

    it('nack of an unknown tag is 406', async () => {
      const { connection } = await setup([]);
      const ch = await connection.createChannel();
      const closed = new Promise<Error & { code?: number }>((done) => ch.once('error', done));
      ch.nack({ fields: { deliveryTag: 7 } } as amqp.Message, true, true);
      const error = await closed;
      expect(error.code).toBe(406);
      expect(error.message).toMatch(/"PRECONDITION_FAILED - unknown delivery tag 7"/);
    });

    it('consumers get requeued messages again, redelivered', async () => {
      const { connection, queue } = await setup(['once']);
      const consumer = await connection.createChannel();
      const seen: [string, boolean][] = [];
      await consumer.consume(queue, (message) => {
        if (!message) return;
        seen.push([message.content.toString(), message.fields.redelivered]);
        if (message.fields.redelivered) consumer.ack(message);
        else consumer.nack(message, false, true);
      });
      await waitFor(() => seen.length === 2, 'the redelivery');
      expect(seen).toEqual([['once', false], ['once', true]]);
    });
  });

  describe('basic.recover', () => {
    it('recover (requeue) redelivers every unacked message of the channel, marked redelivered', async () => {
      const { connection, queue } = await setup(['m1', 'm2']);
      const consumer = await connection.createChannel();
      const { inbox } = await consumeInto(consumer, queue);
      await inbox.waitFor(2);
      await consumer.recover();
      const all = await inbox.waitFor(4);
      expect(all.map((m) => [m.content.toString(), m.fields.redelivered])).toEqual([['m1', false], ['m2', false], ['m1', true], ['m2', true]]);
      // The old tags are gone; the new ones can be acked.
      consumer.ack(all[3], true);
      await waitFor(async () => (await consumer.checkQueue(queue)).messageCount === 0, 'an empty queue');
    });

    it('recover-async (requeue) redelivers without answering', async () => {
      const raw = await clients.raw();
      const queue = unique('q.recover-async');
      raw.send(1, 'queue.declare', { queue, exclusive: true });
      await raw.expectMethod(1, 'queue.declare-ok');
      raw.publish(1, { exchange: '', routingKey: queue }, Buffer.from('again'));
      raw.send(1, 'basic.consume', { queue, consumerTag: 'c' });
      await raw.expectMethod(1, 'basic.consume-ok');
      expect(await raw.expectMethod(1, 'basic.deliver')).toMatchObject({ deliveryTag: 1, redelivered: false });
      await raw.nextFrame(); // content header
      await raw.nextFrame(); // body
      raw.send(1, 'basic.recover-async', { requeue: true });
      expect(await raw.expectMethod(1, 'basic.deliver')).toMatchObject({ deliveryTag: 2, redelivered: true });
    });

    // The Go client's TestIntegrationRecoverNotImplemented checks this, but only against a broker named RabbitMQ.
    it('recover without requeue closes the connection with 540, as RabbitMQ 3.10 does', async () => {
      const raw = await clients.raw();
      raw.send(1, 'basic.recover', { requeue: false });
      expect(await raw.expectMethod(0, 'connection.close')).toEqual({
        replyCode: 540, replyText: 'NOT_IMPLEMENTED - requeue=false', classId: 60, methodId: 110,
      });
    });
  });

  describe('callback API', () => {
    it('gets, nacks with requeue, and acks through amqplib callbacks', async () => {
      const { ch, queue } = await setup(['cb1', 'cb2']);
      const connection = await clients.callback();
      const cbChannel = await new Promise<import('amqplib/callback_api').Channel>((done, fail) =>
        connection.createChannel((error, channel) => (error ? fail(error) : done(channel))));
      const get = () => new Promise<amqp.GetMessage | false>((done, fail) =>
        cbChannel.get(queue, {}, (error, message) => (error ? fail(error) : done(message))));
      const first = await get();
      expect(first && first.content.toString()).toBe('cb1');
      cbChannel.nack(first as amqp.GetMessage, false, true);
      const again = await get();
      expect(again && [again.content.toString(), again.fields.redelivered]).toEqual(['cb1', true]);
      cbChannel.ack(again as amqp.GetMessage);
      const second = await get();
      cbChannel.ack(second as amqp.GetMessage);
      expect(await get()).toBe(false);
      expect(bodies([second as amqp.GetMessage])).toEqual(['cb2']);
      expect(await ch.checkQueue(queue)).toMatchObject({ messageCount: 0 });
    });
  });
});
