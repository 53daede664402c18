/**
 * Issue 9, defect 1: a purge removes only the messages that are ready at that
 * moment. Messages out with a consumer during the purge, and requeued after it,
 * are live and must survive a restart (RabbitMQ 3.10 keeps them too).
 */
import * as amqp from 'amqplib';
import { startWarren, RunningWarren } from '../../support/warren-app';
import { useTestDatabase } from '../../support/test-database';

describe('purge, requeue, restart', () => {
  const database = useTestDatabase();
  let warren: RunningWarren | undefined;
  afterEach(async () => {
    await warren?.close();
    warren = undefined;
  });

  async function publishConfirmed(url: string, queue: string, bodies: string[]): Promise<void> {
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    for (const body of bodies) channel.sendToQueue(queue, Buffer.from(body), { persistent: true });
    await channel.waitForConfirms();
    await connection.close();
  }

  async function drainBodies(url: string, queue: string): Promise<string[]> {
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    const bodies: string[] = [];
    for (let got = await channel.get(queue, { noAck: true }); got; got = await channel.get(queue, { noAck: true })) {
      bodies.push(got.content.toString());
    }
    await connection.close();
    return bodies;
  }

  it('keeps messages that were unacked during a purge and requeued after it', async () => {
    warren = await startWarren(database.url);
    const queue = 'purge.requeue';
    await publishConfirmed(warren.amqpUrl, queue, ['one', 'two', 'three']);

    const connection = await amqp.connect(warren.amqpUrl);
    const consumer = await connection.createChannel();
    const taken: amqp.ConsumeMessage[] = [];
    await consumer.consume(queue, (message) => taken.push(message!), { noAck: false });
    for (const deadline = Date.now() + 5000; taken.length < 3; await new Promise((d) => setTimeout(d, 10))) {
      if (Date.now() > deadline) throw new Error('the consumer did not get all three');
    }
    const purger = await connection.createChannel();
    expect(await purger.purgeQueue(queue)).toEqual({ messageCount: 0 });
    await consumer.close();
    expect((await purger.checkQueue(queue)).messageCount).toBe(3);
    await connection.close();

    await warren.close();
    warren = await startWarren(database.url);
    expect((await drainBodies(warren.amqpUrl, queue)).sort()).toEqual(['one', 'three', 'two']);
  });

  it('still removes for good what a purge removed, while keeping what came later', async () => {
    warren = await startWarren(database.url);
    const queue = 'purge.then.more';
    await publishConfirmed(warren.amqpUrl, queue, ['old-1', 'old-2']);
    const connection = await amqp.connect(warren.amqpUrl);
    const channel = await connection.createChannel();
    expect(await channel.purgeQueue(queue)).toEqual({ messageCount: 2 });
    await connection.close();
    await publishConfirmed(warren.amqpUrl, queue, ['new']);

    await warren.close();
    warren = await startWarren(database.url);
    expect(await drainBodies(warren.amqpUrl, queue)).toEqual(['new']);
  });
});
