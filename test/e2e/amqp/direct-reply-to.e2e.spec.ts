/**
 * Direct reply-to (issue 11), as RabbitMQ shapes it: RPC replies reach the
 * requesting channel through the pseudo-queue amq.rabbitmq.reply-to, with no
 * queue declared, and misuse gets RabbitMQ's errors.
 */
import * as amqp from 'amqplib';
import { useWarren } from '../../support/warren-app';
import { useClients } from './support/clients';

const REPLY_QUEUE = 'amq.rabbitmq.reply-to';

describe('direct reply-to', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  /** A server that answers every request on `queue` with "re: <body>", to its reply_to. */
  async function startServer(queue: string): Promise<amqp.Channel> {
    const connection = await clients.amqplib();
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: false });
    await channel.consume(queue, (request) => {
      channel.publish('', request!.properties.replyTo, Buffer.from(`re: ${request!.content}`), { correlationId: request!.properties.correlationId });
      channel.ack(request!);
    });
    return channel;
  }

  async function replyConsumer(channel: amqp.Channel): Promise<amqp.ConsumeMessage[]> {
    const replies: amqp.ConsumeMessage[] = [];
    await channel.consume(REPLY_QUEUE, (reply) => replies.push(reply!), { noAck: true });
    return replies;
  }

  async function until(condition: () => boolean): Promise<void> {
    for (const deadline = Date.now() + 5000; !condition(); await new Promise((d) => setTimeout(d, 5))) {
      if (Date.now() > deadline) throw new Error('timed out');
    }
  }

  it('carries a request/reply round trip, stamping an unguessable reply address', async () => {
    await startServer('rpc.echo');
    const client = await (await clients.amqplib()).createChannel();
    const replies = await replyConsumer(client);
    client.sendToQueue('rpc.echo', Buffer.from('ping'), { replyTo: REPLY_QUEUE, correlationId: 'c1' });
    await until(() => replies.length === 1);
    expect(replies[0].content.toString()).toBe('re: ping');
    expect(replies[0].properties.correlationId).toBe('c1');
    expect(replies[0].fields).toMatchObject({ exchange: '', redelivered: false });
    expect(replies[0].fields.routingKey).toMatch(/^amq\.rabbitmq\.reply-to\.[A-Za-z0-9_-]{32}$/);
  });

  it('delivers each reply to its own channel only', async () => {
    await startServer('rpc.many');
    const connection = await clients.amqplib();
    const [a, b] = [await connection.createChannel(), await connection.createChannel()];
    const [repliesA, repliesB] = [await replyConsumer(a), await replyConsumer(b)];
    for (let i = 0; i < 20; i++) {
      (i % 2 === 0 ? a : b).sendToQueue('rpc.many', Buffer.from(`${i % 2 === 0 ? 'a' : 'b'}${i}`), { replyTo: REPLY_QUEUE });
    }
    await until(() => repliesA.length === 10 && repliesB.length === 10);
    expect(repliesA.every((r) => r.content.toString().startsWith('re: a'))).toBe(true);
    expect(repliesB.every((r) => r.content.toString().startsWith('re: b'))).toBe(true);
    expect(repliesA[0].fields.routingKey).not.toBe(repliesB[0].fields.routingKey);
  });

  it('declares no queue: the pseudo-queue and a live reply address answer passive declares, a dead one does not', async () => {
    const connection = await clients.amqplib();
    const client = await connection.createChannel();
    const replies = await replyConsumer(client);
    expect(await client.checkQueue(REPLY_QUEUE)).toEqual({ queue: REPLY_QUEUE, messageCount: 0, consumerCount: 1 });
    const probe = await connection.createChannel();
    await probe.assertQueue('rpc.address');
    client.sendToQueue('rpc.address', Buffer.from('x'), { replyTo: REPLY_QUEUE });
    const request = await (async () => {
      for (;;) {
        const got = await probe.get('rpc.address', { noAck: true });
        if (got) return got;
      }
    })();
    const address = request.properties.replyTo as string;
    expect(await probe.checkQueue(address)).toMatchObject({ queue: address, consumerCount: 1 });
    const queues = await fetch(`http://127.0.0.1:${warren.httpPort}/api/queues`, { headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` } });
    expect(((await queues.json()) as { name: string }[]).map((q) => q.name)).not.toContain(address);
    await client.close();
    await expect(probe.checkQueue(address)).rejects.toThrow(/NOT_FOUND/);
    expect(replies).toHaveLength(0);
  });

  it('drops a reply to a closed channel, and returns it when mandatory', async () => {
    const connection = await clients.amqplib();
    const client = await connection.createChannel();
    await replyConsumer(client);
    const probe = await connection.createConfirmChannel();
    await probe.assertQueue('rpc.gone');
    client.sendToQueue('rpc.gone', Buffer.from('x'), { replyTo: REPLY_QUEUE });
    let request: amqp.GetMessage | false = false;
    while (!request) request = await probe.get('rpc.gone', { noAck: true });
    await client.close();
    const returned: amqp.Message[] = [];
    probe.on('return', (message) => returned.push(message));
    probe.publish('', request.properties.replyTo, Buffer.from('late'), {}, () => undefined);
    probe.publish('', request.properties.replyTo, Buffer.from('late, mandatory'), { mandatory: true });
    await probe.waitForConfirms();
    const fields = (m: amqp.Message) => m.fields as amqp.MessageFields & { replyCode: number; replyText: string };
    expect(returned.map((m) => [m.content.toString(), fields(m).replyCode, fields(m).replyText])).toEqual([['late, mandatory', 312, 'NO_ROUTE']]);
  });

  it('refuses a reply consumer that acknowledges, a second reply consumer, and a request without one, with RabbitMQ texts', async () => {
    const connection = await clients.amqplib();
    const acking = await connection.createChannel();
    const closed = new Promise<Error>((done) => acking.once('error', done));
    await expect(acking.consume(REPLY_QUEUE, () => undefined, { noAck: false })).rejects.toThrow();
    expect((await closed).message).toMatch(/406 \(PRECONDITION-FAILED\) with message "PRECONDITION_FAILED - reply consumer cannot acknowledge"/);

    const twice = await connection.createChannel();
    await replyConsumer(twice);
    const closedTwice = new Promise<Error>((done) => twice.once('error', done));
    await expect(twice.consume(REPLY_QUEUE, () => undefined, { noAck: true })).rejects.toThrow();
    expect((await closedTwice).message).toMatch(/PRECONDITION_FAILED - reply consumer already set/);

    const without = await connection.createChannel();
    const closedWithout = new Promise<Error>((done) => without.once('error', done));
    without.sendToQueue('anything', Buffer.from('x'), { replyTo: REPLY_QUEUE });
    expect((await closedWithout).message).toMatch(/406 \(PRECONDITION-FAILED\) with message "PRECONDITION_FAILED - fast reply consumer does not exist"/);
  });

  it('stops replies once the reply consumer is cancelled', async () => {
    await startServer('rpc.cancel');
    const client = await (await clients.amqplib()).createChannel();
    const replies: amqp.ConsumeMessage[] = [];
    const { consumerTag } = await client.consume(REPLY_QUEUE, (r) => replies.push(r!), { noAck: true });
    client.sendToQueue('rpc.cancel', Buffer.from('one'), { replyTo: REPLY_QUEUE });
    await until(() => replies.length === 1);
    await client.cancel(consumerTag);
    const closed = new Promise<Error>((done) => client.once('error', done));
    client.sendToQueue('rpc.cancel', Buffer.from('two'), { replyTo: REPLY_QUEUE });
    expect((await closed).message).toMatch(/fast reply consumer does not exist/);
  });
});
