/**
 * The connection over real TCP: handshake, login, server properties, tune
 * (frame_max, channel_max, heartbeat), vhost check, close in both directions,
 * update-secret, and connection errors that stay within their connection.
 */
import * as amqp from 'amqplib';
import * as amqpCallback from 'amqplib/callback_api';
import { connect as tcpConnect } from 'net';
import { AMQPConnectionError, Connection as RabbitConnection } from 'rabbitmq-client';
import { encodeBodyFrames, encodeContentHeaderFrame } from '../../../src/amqp/codec';
import { useWarren } from '../../support/warren-app';
import { connectOptions, sleep, unique, useClients, waitFor } from './support/clients';

jest.setTimeout(60000);

describe('AMQP connection', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  describe('open and close', () => {
    it('opens and closes cleanly from amqplib (promise API)', async () => {
      const connection = await clients.amqplib();
      const closed = new Promise<Error | undefined>((done) => connection.once('close', done));
      const channel = await connection.createChannel();
      expect((await channel.assertQueue('', { exclusive: true })).queue).toMatch(/^amq\.gen-/);
      await connection.close();
      expect(await closed).toBeUndefined();
    });

    it('opens and closes cleanly from amqplib (callback API)', async () => {
      const connection = await clients.callback();
      const queue = await new Promise<string>((done, fail) => connection.createChannel((error, channel) => {
        if (error) return fail(error);
        channel.assertQueue('', { exclusive: true }, (declareError, ok) => (declareError ? fail(declareError) : done(ok.queue)));
      }));
      expect(queue).toMatch(/^amq\.gen-/);
      const closeError = await new Promise<unknown>((done) => connection.close(done));
      expect(closeError).toBeFalsy();
    });

    it('opens and closes cleanly from rabbitmq-client', async () => {
      const connection = await clients.rabbit();
      const channel = await connection.acquire();
      const { queue } = await channel.queueDeclare({ exclusive: true });
      expect(queue).toMatch(/^amq\.gen-/);
      await channel.close();
      await connection.close();
      expect(connection.ready).toBe(false);
    });

    it('the broker closes the connection with connection.close, and ends the socket after close-ok', async () => {
      const raw = await clients.raw();
      // Publishing with immediate=true is a connection error in RabbitMQ, so the broker starts the close.
      raw.publish(1, { exchange: '', routingKey: 'x', immediate: true }, Buffer.from('now'));
      const close = await raw.expectMethod(0, 'connection.close');
      expect(close).toMatchObject({ replyCode: 540, classId: 60, methodId: 40 });
      expect(close.replyText).toMatch(/^NOT_IMPLEMENTED - /);
      raw.send(0, 'connection.close-ok', {});
      await raw.closed;
    });

    it('a client closing gets close-ok, and the socket ends once the client closes its side (see closing-handshake.e2e.spec.ts)', async () => {
      const raw = await clients.raw();
      raw.send(0, 'connection.close', { replyCode: 200, replyText: 'bye', classId: 0, methodId: 0 });
      await raw.expectMethod(0, 'connection.close-ok');
      raw.end();
      await raw.closed;
    });

    it('answers a protocol header it does not speak with the 0-9-1 header, then closes', async () => {
      const socket = tcpConnect(warren.amqpPort, '127.0.0.1');
      const received: Buffer[] = [];
      socket.on('data', (chunk) => received.push(chunk));
      const closed = new Promise((done) => socket.once('close', done));
      socket.write(Buffer.from('AMQP\x01\x01\x00\x0a', 'latin1'));
      await closed;
      expect(Buffer.concat(received)).toEqual(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]));
    });

    it('accepts connection.update-secret', async () => {
      const connection = await clients.amqplib();
      await connection.updateSecret(Buffer.from('guest'), 'rotation');
      const channel = await connection.createChannel();
      await channel.checkExchange('amq.direct');
    });
  });

  describe('login', () => {
    it.each([
      ['PLAIN', amqp.credentials.plain('guest', 'guest')],
      ['AMQPLAIN', amqp.credentials.amqplain('guest', 'guest')],
    ])('logs in with %s', async (_mechanism, credentials) => {
      const connection = await amqp.connect(connectOptions(warren), { credentials });
      try {
        const channel = await connection.createChannel();
        await channel.checkExchange('amq.topic');
      } finally {
        await connection.close();
      }
    });

    it.each([
      ['PLAIN', amqp.credentials.plain('guest', 'wrong')],
      ['AMQPLAIN', amqp.credentials.amqplain('guest', 'wrong')],
      ['PLAIN with an unknown user', amqp.credentials.plain('nobody', 'guest')],
    ])('refuses wrong credentials over %s with 403 ACCESS_REFUSED', async (mechanism, credentials) => {
      const attempt = amqp.connect(connectOptions(warren), { credentials });
      await expect(attempt).rejects.toThrow(/403 \(ACCESS-REFUSED\) with message "ACCESS_REFUSED - Login was refused using authentication mechanism (PLAIN|AMQPLAIN)/);
      await expect(attempt).rejects.toThrow(mechanism.split(' ')[0]);
    });

    it('refuses a wrong password from the callback API', async () => {
      const error = await new Promise<Error>((done) => {
        amqpCallback.connect(connectOptions(warren, { password: 'nope' }), (err, connection) => {
          if (connection) void connection.close();
          done(err);
        });
      });
      expect(error.message).toMatch(/ACCESS_REFUSED/);
    });

    it('refuses a wrong password from rabbitmq-client', async () => {
      const connection = new RabbitConnection({ url: warren.amqpUrl.replace('guest@', 'bad@'), retryLow: 1000, retryHigh: 1000 });
      try {
        const error = await new Promise<AMQPConnectionError>((done) => connection.once('error', done));
        expect(error.code).toBe('ACCESS_REFUSED');
        expect(error.message).toMatch(/ACCESS_REFUSED - Login was refused/);
      } finally {
        await connection.close();
      }
    });

    it('refuses an unknown vhost with 530 NOT_ALLOWED', async () => {
      // amqplib only says it got connection.close instead of open-ok; the raw client shows the close itself.
      await expect(amqp.connect(connectOptions(warren, { vhost: 'no-such-vhost' }))).rejects.toThrow(/got <ConnectionClose/);
      await expect(clients.raw({ vhost: 'no-such-vhost' }))
        .rejects.toThrow(/got connection.close .*"replyCode":530,"replyText":"NOT_ALLOWED - vhost no-such-vhost not found","classId":10,"methodId":40/);
    });
  });

  describe('server properties', () => {
    it('advertises product Warren, a version and the capabilities clients switch on', async () => {
      const connection = await clients.amqplib();
      const properties = connection.connection.serverProperties as unknown as Record<string, unknown>;
      expect(properties.product).toBe('Warren');
      expect(properties.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(properties.capabilities).toMatchObject({
        publisher_confirms: true,
        exchange_exchange_bindings: true,
        'basic.nack': true,
        consumer_cancel_notify: true,
        'connection.blocked': true,
        authentication_failure_close: true,
      });
    });
  });

  describe('tune', () => {
    it('offers channel_max 2047, frame_max 131072 and heartbeat 60 to a client with no preference', async () => {
      const connection = await clients.amqplib({ frameMax: 0, channelMax: 0 });
      const negotiated = connection.connection as unknown as { channelMax: number; frameMax: number; heartbeat: number };
      expect(negotiated).toMatchObject({ channelMax: 2047, frameMax: 131072, heartbeat: 60 });
    });

    it.each([
      ['100 KiB', 100 * 1024],
      ['1 MiB', 1024 * 1024],
    ])('with frame_max 4096, a %s message still arrives whole, in frames no larger than 4096', async (_label, size) => {
      // maxFrameSize makes amqplib drop the connection if the broker sends a frame over 4096 bytes.
      const connection = await clients.amqplib({ frameMax: 4096 }, { maxFrameSize: 4096 } as amqp.SocketOptions);
      expect((connection.connection as unknown as { frameMax: number }).frameMax).toBe(4096);
      const channel = await connection.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true });
      const body = Buffer.from(Array.from({ length: size }, (_, i) => (i * 31) % 251));
      channel.sendToQueue(queue, body);
      const received = await new Promise<amqp.ConsumeMessage>((done) => void channel.consume(queue, (m) => m && done(m), { noAck: true }));
      expect(received.content.equals(body)).toBe(true);
    });

    it('refuses a frame_max below 4096 with 530 NOT_ALLOWED', async () => {
      // amqplib refuses to ask for it, so the raw client speaks the handshake.
      await expect(clients.raw({ frameMax: 2048 })).rejects.toThrow(/got connection.close .*"replyCode":530,"replyText":"NOT_ALLOWED - frame_max=2048 < 4096/);
    });

    it('accepts frames up to 8 bytes over frame_max, as RabbitMQ does, and refuses larger ones with 501 FRAME_ERROR', async () => {
      const raw = await clients.raw({ frameMax: 4096 });
      const queue = unique('q.fudge');
      raw.send(1, 'queue.declare', { queue, exclusive: true });
      await raw.expectMethod(1, 'queue.declare-ok');
      // rabbitmq-client, for one, puts frame_max bytes of payload in a body frame: 4104 bytes in all.
      const body = Buffer.alloc(4096, 7);
      raw.send(1, 'basic.publish', { exchange: '', routingKey: queue });
      raw.socket.write(encodeContentHeaderFrame(1, body.length, {}));
      raw.socket.write(encodeBodyFrames(1, body, 4096 + 8));
      raw.send(1, 'queue.declare', { queue, passive: true });
      expect(await raw.expectMethod(1, 'queue.declare-ok')).toMatchObject({ messageCount: 1 });

      raw.send(1, 'basic.publish', { exchange: '', routingKey: queue });
      raw.socket.write(encodeContentHeaderFrame(1, body.length + 1, {}));
      raw.socket.write(encodeBodyFrames(1, Buffer.alloc(4097), 4097 + 8));
      const close = await raw.expectMethod(0, 'connection.close');
      expect(close.replyCode).toBe(501);
      expect(close.replyText).toMatch(/^FRAME_ERROR - /);
    });

    it('keeps a client with heartbeat 1 connected across several idle seconds (heartbeats flow both ways)', async () => {
      const connection = await clients.amqplib({ heartbeat: 1 });
      expect((connection.connection as unknown as { heartbeat: number }).heartbeat).toBe(1);
      let closedWith: unknown = 'open';
      connection.on('close', (error) => (closedWith = error ?? 'closed'));
      // amqplib drops the connection when it hears nothing for two intervals, so staying open means Warren sent heartbeats.
      await sleep(5000);
      expect(closedWith).toBe('open');
      const channel = await connection.createChannel();
      await channel.checkExchange('amq.fanout');
    });

    it('disconnects a peer that asked for heartbeats and then stays silent', async () => {
      const raw = await clients.raw({ heartbeat: 1 });
      await expect(raw.closed).resolves.toBeUndefined();
    });

    it('refuses to open more channels than the negotiated channel_max with 530, whatever their numbers (as RabbitMQ)', async () => {
      const raw = await clients.raw({ channelMax: 2, openChannel: false });
      raw.send(7, 'channel.open', {});
      await raw.expectMethod(7, 'channel.open-ok');
      raw.send(300, 'channel.open', {});
      await raw.expectMethod(300, 'channel.open-ok');
      raw.send(1, 'channel.open', {});
      expect(await raw.expectMethod(0, 'connection.close')).toEqual({
        replyCode: 530, replyText: 'NOT_ALLOWED - number of channels opened (2) has reached the negotiated channel_max (2)', classId: 20, methodId: 10,
      });
    });

    it('a closed channel frees its place under channel_max', async () => {
      const raw = await clients.raw({ channelMax: 1 });
      raw.send(1, 'channel.close', { replyCode: 200, replyText: 'done', classId: 0, methodId: 0 });
      await raw.expectMethod(1, 'channel.close-ok');
      raw.send(2, 'channel.open', {});
      await raw.expectMethod(2, 'channel.open-ok');
    });
  });

  describe('connection errors', () => {
    it('close only the connection at fault; other connections carry on', async () => {
      const bystander = await clients.amqplib();
      const bystanderChannel = await bystander.createChannel();
      const { queue } = await bystanderChannel.assertQueue(unique('bystander'), { exclusive: true });

      const culprit = await clients.rabbit();
      const culpritChannel = await culprit.acquire();
      const culpritError = new Promise<AMQPConnectionError>((done) => culprit.once('error', done));
      await culpritChannel.basicPublish({ routingKey: queue, immediate: true } as never, 'no');
      expect((await culpritError).code).toBe('NOT_IMPLEMENTED');

      bystanderChannel.sendToQueue(queue, Buffer.from('still here'));
      const message = await waitForGet(bystanderChannel, queue);
      expect(message.content.toString()).toBe('still here');
    });

    it('a method on a channel that was never opened is 504 CHANNEL_ERROR', async () => {
      const raw = await clients.raw();
      raw.send(42, 'queue.declare', { queue: 'x' });
      const close = await raw.expectMethod(0, 'connection.close');
      expect(close).toMatchObject({ replyCode: 504, classId: 50, methodId: 10 });
      expect(close.replyText).toMatch(/^CHANNEL_ERROR - /);
    });
  });
});

async function waitForGet(channel: amqp.Channel, queue: string): Promise<amqp.GetMessage> {
  let message: amqp.GetMessage | false = false;
  await waitFor(async () => (message = await channel.get(queue, { noAck: true })) !== false, `a message on ${queue}`);
  return message as unknown as amqp.GetMessage;
}

