/**
 * basic.publish over real TCP: mandatory returns, immediate refused, publisher
 * confirms, transactions, large bodies spanning many frames, and properties
 * and headers that come back exactly as they were sent.
 */
import { createHash } from 'crypto';
import * as amqp from 'amqplib';
import { useWarren } from '../../support/warren-app';
import { bodies, closedWith, consumeInto, replyTextOf, unique, useClients, waitFor } from './support/clients';
import { encodeContentHeaderFrame, FieldTable, FRAME_BODY, FRAME_HEADER } from '../../../src/amqp/codec';

jest.setTimeout(120000);

describe('AMQP publishing', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  async function channelAndQueue(): Promise<{ connection: amqp.ChannelModel; ch: amqp.Channel; queue: string }> {
    const connection = await clients.amqplib();
    const ch = await connection.createChannel();
    const { queue } = await ch.assertQueue(unique('q.pub'), { durable: false });
    return { connection, ch, queue };
  }

  const digest = (buffer: Buffer) => createHash('sha256').update(buffer).digest('hex');

  describe('mandatory', () => {
    it('returns an unroutable message with 312 NO_ROUTE, its body and properties intact', async () => {
      const { ch } = await channelAndQueue();
      const returned = new Promise<amqp.Message>((done) => ch.once('return', done));
      ch.publish('amq.direct', 'nobody-listens', Buffer.from('bounce'), { mandatory: true, messageId: 'm-1', headers: { a: 1 } });
      const message = await returned;
      expect(message.fields).toMatchObject({ replyCode: 312, replyText: 'NO_ROUTE', exchange: 'amq.direct', routingKey: 'nobody-listens' });
      expect(message.content.toString()).toBe('bounce');
      expect(message.properties).toMatchObject({ messageId: 'm-1', headers: { a: 1 } });
    });

    it('does not return a routable message, nor an unroutable one without mandatory', async () => {
      const { ch, queue } = await channelAndQueue();
      const returns: amqp.Message[] = [];
      ch.on('return', (m: amqp.Message) => returns.push(m));
      ch.publish('', queue, Buffer.from('routed'), { mandatory: true });
      ch.publish('amq.direct', 'nobody-listens', Buffer.from('dropped quietly'));
      ch.publish('amq.direct', 'nobody-listens', Buffer.from('returned'), { mandatory: true });
      await waitFor(() => returns.length === 1, 'the one return');
      await ch.checkQueue(queue);
      expect(bodies(returns)).toEqual(['returned']);
      expect((await ch.checkQueue(queue)).messageCount).toBe(1);
    });

    it('rabbitmq-client gets basic.return too', async () => {
      const connection = await clients.rabbit();
      const ch = await connection.acquire();
      const returned = new Promise<{ replyCode: number; replyText: string; body: unknown }>((done) => ch.once('basic.return', done));
      await ch.basicPublish({ exchange: 'amq.topic', routingKey: 'no.route', mandatory: true }, Buffer.from('back'));
      expect(await returned).toMatchObject({ replyCode: 312, replyText: 'NO_ROUTE', body: Buffer.from('back') });
      await ch.close();
    });

    it('in confirm mode, the return comes before the ack of that publish', async () => {
      const raw = await clients.raw();
      raw.send(1, 'confirm.select', {});
      await raw.expectMethod(1, 'confirm.select-ok');
      raw.publish(1, { exchange: 'amq.direct', routingKey: 'nowhere', mandatory: true }, Buffer.from('x'));
      expect(await raw.expectMethod(1, 'basic.return')).toMatchObject({ replyCode: 312, replyText: 'NO_ROUTE' });
      expect((await raw.nextFrame())?.type).toBe(FRAME_HEADER);
      expect((await raw.nextFrame())?.type).toBe(FRAME_BODY);
      expect(await raw.expectMethod(1, 'basic.ack')).toEqual({ deliveryTag: 1, multiple: false });
    });
  });

  describe('immediate', () => {
    it('is refused with a 540 NOT_IMPLEMENTED connection close, as RabbitMQ does (rabbitmq-client)', async () => {
      const connection = await clients.rabbit();
      const ch = await connection.acquire();
      const failed = new Promise<{ code: string; message: string }>((done) => connection.once('error', done));
      await ch.basicPublish({ routingKey: 'anything', immediate: true } as never, 'now!');
      const error = await failed;
      expect(error.code).toBe('NOT_IMPLEMENTED');
      expect(error.message).toMatch(/NOT_IMPLEMENTED - immediate=true/);
    });
  });

  describe('errors', () => {
    it('publishing to a missing exchange closes the channel with 404', async () => {
      const { ch } = await channelAndQueue();
      const closed = new Promise<Error & { code?: number }>((done) => ch.once('error', done));
      ch.publish('no-such-exchange', 'k', Buffer.from('lost'));
      const error = await closed;
      expect(error.code).toBe(404);
      expect(error.message).toMatch(/with message "NOT_FOUND - no exchange 'no-such-exchange' in vhost '\/'"/);
    });

    it('a user-id other than the authenticated user is 406, as in RabbitMQ', async () => {
      const { ch, queue } = await channelAndQueue();
      const closed = new Promise<Error & { code?: number }>((done) => ch.once('error', done));
      ch.sendToQueue(queue, Buffer.from('forged'), { userId: 'mallory' });
      const error = await closed;
      expect(error.code).toBe(406);
      expect(error.message).toMatch(/with message "PRECONDITION_FAILED - user_id property set to 'mallory' but authenticated user was 'guest'"/);
    });

    it.each([
      ['soon', 'no_integer'],
      ['10s', '{leftover_string,"s"}'],
      ['-5', '{value_negative,-5}'],
      ['4294967296', '{value_too_large,4294967296}'],
    ])('an expiration of %p is 406 invalid expiration (%s), as in RabbitMQ', async (expiration, reason) => {
      const { ch, queue } = await channelAndQueue();
      const closed = new Promise<Error & { code?: number }>((done) => ch.once('error', done));
      ch.sendToQueue(queue, Buffer.from('x'), { expiration });
      const error = await closed;
      expect(error.code).toBe(406);
      expect(replyTextOf(error)).toBe(`PRECONDITION_FAILED - invalid expiration '${expiration}': ${reason}`);
    });

    it('publishing to an internal exchange is 403', async () => {
      const { connection, ch } = await channelAndQueue();
      const name = unique('ex.internal');
      await ch.assertExchange(name, 'fanout', { internal: true, durable: false });
      const publisher = await connection.createChannel();
      const closed = new Promise<Error & { code?: number }>((done) => publisher.once('error', done));
      publisher.publish(name, '', Buffer.from('no'));
      const error = await closed;
      expect(error.code).toBe(403);
      expect(error.message).toMatch(/with message "ACCESS_REFUSED - cannot publish to internal exchange/);
    });
  });

  describe('publisher confirms', () => {
    it('confirms every publish, many of them with multiple=true, and waitForConfirms resolves', async () => {
      const connection = await clients.amqplib();
      const ch = await connection.createConfirmChannel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      const acks: { deliveryTag: number; multiple: boolean }[] = [];
      ch.on('ack', (fields: { deliveryTag: number; multiple: boolean }) => acks.push(fields));
      const count = 3000;
      const confirmed: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        confirmed.push(new Promise((done, fail) => ch.publish('', queue, Buffer.from(`m${i}`), {}, (error) => (error ? fail(error) : done()))));
      }
      await ch.waitForConfirms();
      await Promise.all(confirmed);
      // The acks cover 1..count exactly once, in increasing order.
      let covered = 0;
      for (const { deliveryTag, multiple } of acks) {
        expect(deliveryTag).toBeGreaterThan(covered);
        if (!multiple) expect(deliveryTag).toBe(covered + 1);
        covered = deliveryTag;
      }
      expect(covered).toBe(count);
      expect(acks.some((a) => a.multiple)).toBe(true);
      expect(acks.length).toBeLessThan(count);
      expect((await ch.checkQueue(queue)).messageCount).toBe(count);
    });

    it('confirms an unroutable message as well', async () => {
      const connection = await clients.amqplib();
      const ch = await connection.createConfirmChannel();
      await new Promise<void>((done, fail) => ch.publish('amq.fanout', '', Buffer.from('nobody'), {}, (error) => (error ? fail(error) : done())));
    });

    it('rabbitmq-client publishes with confirms', async () => {
      const connection = await clients.rabbit();
      const ch = await connection.acquire();
      await ch.confirmSelect();
      const { queue } = await ch.queueDeclare({ exclusive: true });
      await Promise.all(Array.from({ length: 200 }, (_, i) => ch.basicPublish({ routingKey: queue }, `c${i}`)));
      expect((await ch.queueDeclare({ queue, passive: true })).messageCount).toBe(200);
      await ch.close();
    });

    it('the callback API confirms through its publish callbacks', async () => {
      const connection = await clients.callback();
      const ch = await new Promise<import('amqplib/callback_api').ConfirmChannel>((done, fail) =>
        connection.createConfirmChannel((error, channel) => (error ? fail(error) : done(channel))));
      ch.on('error', () => undefined);
      const queue = await new Promise<string>((done, fail) => ch.assertQueue('', { exclusive: true }, (e, ok) => (e ? fail(e) : done(ok.queue))));
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        new Promise((done) => ch.sendToQueue(queue, Buffer.from(`cb${i}`), {}, (error) => done(error ?? 'ok')))));
      expect(results.every((r) => r === 'ok')).toBe(true);
      const waited = await new Promise((done) => ch.waitForConfirms((error) => done(error ?? 'ok')));
      expect(waited).toBe('ok');
    });

    it('cannot switch a confirm channel to tx mode (406)', async () => {
      const connection = await clients.amqplib();
      const ch = await connection.createConfirmChannel();
      const text = await closedWith((ch as unknown as { rpc(method: number, fields: object, expect: number): Promise<unknown> })
        .rpc(0x005a000a /* tx.select */, {}, 0x005a000b), 406);
      expect(text).toBe('PRECONDITION_FAILED - cannot switch from confirm to tx mode');
    });
  });

  describe('transactions', () => {
    async function txChannel() {
      const raw = await clients.raw();
      raw.send(1, 'tx.select', {});
      await raw.expectMethod(1, 'tx.select-ok');
      const queue = unique('q.tx');
      raw.send(1, 'queue.declare', { queue, exclusive: true });
      await raw.expectMethod(1, 'queue.declare-ok');
      return { raw, queue };
    }

    async function messageCount(raw: Awaited<ReturnType<typeof txChannel>>['raw'], queue: string): Promise<number> {
      raw.send(1, 'queue.declare', { queue, passive: true });
      return (await raw.expectMethod(1, 'queue.declare-ok')).messageCount;
    }

    it('holds publishes until commit; rolled-back publishes are never delivered', async () => {
      const { raw, queue } = await txChannel();
      raw.publish(1, { exchange: '', routingKey: queue }, Buffer.from('rolled back'));
      expect(await messageCount(raw, queue)).toBe(0);
      raw.send(1, 'tx.rollback', {});
      await raw.expectMethod(1, 'tx.rollback-ok');
      raw.publish(1, { exchange: '', routingKey: queue }, Buffer.from('committed'));
      raw.send(1, 'tx.commit', {});
      await raw.expectMethod(1, 'tx.commit-ok');
      expect(await messageCount(raw, queue)).toBe(1);
      raw.send(1, 'basic.get', { queue, noAck: true });
      await raw.expectMethod(1, 'basic.get-ok');
      await raw.nextFrame();
      expect((await raw.nextFrame())?.payload.toString()).toBe('committed');
    });

    it('acks rolled back leave their messages unacked; acked again and committed, they are gone', async () => {
      const connection = await clients.amqplib();
      const ch = await connection.createChannel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      ch.sendToQueue(queue, Buffer.from('t1'));
      ch.sendToQueue(queue, Buffer.from('t2'));
      await waitFor(async () => (await ch.checkQueue(queue)).messageCount === 2, 'two messages');

      const txc = await connection.createChannel();
      const rpc = (txc as unknown as { rpc(method: number, fields: object, expect: number): Promise<unknown> }).rpc.bind(txc);
      await rpc(0x005a000a /* tx.select */, {}, 0x005a000b);
      const t1 = (await txc.get(queue)) as amqp.GetMessage;
      const t2 = (await txc.get(queue)) as amqp.GetMessage;
      txc.ack(t2, true);
      await rpc(0x005a001e /* tx.rollback */, {}, 0x005a001f);
      // Still unacked: acking t1 alone is fine (no 406), and is committed.
      txc.ack(t1);
      await rpc(0x005a0014 /* tx.commit */, {}, 0x005a0015);
      await txc.close();
      const left = await ch.get(queue, { noAck: true });
      expect(left && [left.content.toString(), left.fields.redelivered]).toEqual(['t2', true]);
    });

    it('a publish to a missing exchange fails when it arrives, not at commit', async () => {
      const { raw } = await txChannel();
      raw.publish(1, { exchange: 'no-such-exchange', routingKey: 'k' }, Buffer.from('x'));
      expect(await raw.expectMethod(1, 'channel.close')).toEqual({
        replyCode: 404, replyText: "NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'", classId: 60, methodId: 40,
      });
    });

    it('commit without tx.select is 406 PRECONDITION_FAILED', async () => {
      const raw = await clients.raw();
      raw.send(1, 'tx.commit', {});
      const close = await raw.expectMethod(1, 'channel.close');
      expect(close).toMatchObject({ replyCode: 406, replyText: 'PRECONDITION_FAILED - channel is not transactional', classId: 90, methodId: 20 });
    });

    it('rabbitmq-client commits and rolls back', async () => {
      const connection = await clients.rabbit();
      const ch = await connection.acquire();
      const { queue } = await ch.queueDeclare({ exclusive: true });
      await ch.txSelect();
      await ch.basicPublish({ routingKey: queue }, 'gone');
      await ch.txRollback();
      await ch.basicPublish({ routingKey: queue }, 'kept');
      await ch.txCommit();
      const message = await ch.basicGet({ queue, noAck: true });
      expect(message?.body).toBe('kept');
      expect(await ch.basicGet({ queue })).toBeUndefined();
      await ch.close();
    });
  });

  describe('large messages', () => {
    it.each([
      ['1 MiB', 1024 * 1024],
      ['5 MiB', 5 * 1024 * 1024],
    ])('a %s body spanning many frames arrives byte-identical (amqplib)', async (_label, size) => {
      const { ch, queue } = await channelAndQueue();
      const body = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4) body.writeUInt32BE((i * 2654435761) >>> 0, i);
      ch.sendToQueue(queue, body);
      const { inbox } = await consumeInto(ch, queue, { noAck: true });
      const [received] = await inbox.waitFor(1);
      expect(received.content.length).toBe(size);
      expect(digest(received.content)).toBe(digest(body));
    });

    it('a 3 MiB body round-trips through rabbitmq-client and basic.get', async () => {
      const connection = await clients.rabbit();
      const ch = await connection.acquire();
      const { queue } = await ch.queueDeclare({ exclusive: true });
      const body = Buffer.alloc(3 * 1024 * 1024, 'warren-');
      await ch.basicPublish({ routingKey: queue }, body);
      let message: Awaited<ReturnType<typeof ch.basicGet>>;
      await waitFor(async () => (message = await ch.basicGet({ queue, noAck: true })) !== undefined, 'the big message');
      expect(digest(message!.body as Buffer)).toBe(digest(body));
      await ch.close();
    });

    it('an empty body arrives as an empty body', async () => {
      const { ch, queue } = await channelAndQueue();
      ch.sendToQueue(queue, Buffer.alloc(0), { messageId: 'empty' });
      const { inbox } = await consumeInto(ch, queue, { noAck: true });
      const [received] = await inbox.waitFor(1);
      expect(received.content.length).toBe(0);
      expect(received.properties.messageId).toBe('empty');
    });
  });

  describe('properties and headers', () => {
    const properties: amqp.Options.Publish = {
      contentType: 'application/json',
      contentEncoding: 'gzip',
      headers: {
        string: 'text', int: 42, negative: -7, big: 2 ** 40, float: 1.5, bool: true, no: false, nested: { deeper: { x: 'y' } },
        list: [1, 'two', { three: 3 }], nothing: null, bytes: Buffer.from([0, 1, 2, 255]), unicode: 'żółw 🐢',
      },
      deliveryMode: 2,
      priority: 3,
      correlationId: 'corr-1',
      replyTo: 'reply.queue',
      expiration: '600000',
      messageId: 'msg-1',
      timestamp: 1700000000,
      type: 'order.created',
      userId: 'guest',
      appId: 'warren-tests',
    };

    it('come back exactly as amqplib sent them, on deliver and on get', async () => {
      const { ch, queue } = await channelAndQueue();
      ch.sendToQueue(queue, Buffer.from('{}'), properties);
      ch.sendToQueue(queue, Buffer.from('{}'), properties);
      const got = (await (async () => {
        let m: amqp.GetMessage | false = false;
        await waitFor(async () => (m = await ch.get(queue, { noAck: true })) !== false, 'a message');
        return m as unknown as amqp.GetMessage;
      })());
      const { inbox } = await consumeInto(ch, queue, { noAck: true });
      const [delivered] = await inbox.waitFor(1);
      for (const message of [got, delivered]) {
        expect(message.properties).toEqual({ ...properties, clusterId: undefined });
      }
    });

    it('are passed on byte for byte, whatever field-table types the publisher used', async () => {
      const raw = await clients.raw();
      const queue = unique('q.bytes');
      raw.send(1, 'queue.declare', { queue, exclusive: true });
      await raw.expectMethod(1, 'queue.declare-ok');
      // Field types amqplib would not choose itself: short-short ints, unsigned, decimals, void, byte arrays.
      const headers: FieldTable = {
        plain: { type: 'S', value: 'x' }, b: { type: 'b', value: -3 }, B: { type: 'B', value: 200 }, s: { type: 's', value: -300 },
        u: { type: 'u', value: 65000 }, I: { type: 'I', value: -5 }, i: { type: 'i', value: 4000000000 }, l: { type: 'l', value: 2n ** 60n },
        D: { type: 'D', value: { scale: 2, digits: 12345 } }, f: { type: 'f', value: 0.5 }, d: { type: 'd', value: 0.1 },
        T: { type: 'T', value: 1700000000 }, V: { type: 'V', value: null }, x: { type: 'x', value: Buffer.from('raw') },
        A: { type: 'A', value: [{ type: 't', value: true }, { type: 'S', value: 'in array' }] }, F: { type: 'F', value: { inner: { type: 'b', value: 1 } } },
      };
      const header = encodeContentHeaderFrame(1, 3, { headers, contentType: 'text/plain', clusterId: 'c1', priority: 1 });
      raw.send(1, 'basic.publish', { exchange: '', routingKey: queue });
      raw.socket.write(header);
      raw.socket.write(Buffer.concat([Buffer.from([3, 0, 1, 0, 0, 0, 3]), Buffer.from('abc'), Buffer.from([0xce])]));
      raw.send(1, 'basic.get', { queue, noAck: true });
      await raw.expectMethod(1, 'basic.get-ok');
      const receivedHeader = await raw.nextFrame();
      // Frame payload: class (2) weight (2) body size (8) then the property bytes.
      expect(receivedHeader?.payload.subarray(12).equals(header.subarray(7 + 12, header.length - 1))).toBe(true);
      expect((await raw.nextFrame())?.payload.toString()).toBe('abc');
    });

    it('rabbitmq-client headers and properties round-trip', async () => {
      const connection = await clients.rabbit();
      const ch = await connection.acquire();
      const { queue } = await ch.queueDeclare({ exclusive: true });
      const sent = {
        headers: { who: 'rc', n: 7, nested: { a: [1, 2] } },
        correlationId: 'rc-corr', replyTo: 'rc-reply', messageId: 'rc-1', type: 't', appId: 'rc-app', priority: 2,
      };
      await ch.basicPublish({ routingKey: queue, ...sent }, Buffer.from('props'));
      const message = await ch.basicGet({ queue, noAck: true });
      expect(message).toMatchObject({ ...sent, body: Buffer.from('props') });
      await ch.close();
    });
  });
});
