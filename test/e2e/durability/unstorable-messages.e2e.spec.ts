/**
 * Issue 9, defect 2: one message must not stall durable publishing. Short strings
 * may hold NUL (RabbitMQ stores and confirms such messages), so the store keeps them
 * byte for byte; and a message the database refuses for good is nacked to its own
 * publisher while every other publisher keeps being confirmed.
 */
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { RunningWarren, startWarren } from '../../support/warren-app';
import { useTestDatabase } from '../../support/test-database';

jest.setTimeout(60000);

async function confirmOutcome(channel: amqp.ConfirmChannel, publish: (done: (error: unknown) => void) => void, timeoutMs = 5000): Promise<'ack' | 'nack' | 'none'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('none'), timeoutMs);
    publish((error) => {
      clearTimeout(timer);
      resolve(error ? 'nack' : 'ack');
    });
  });
}

describe('messages the database might refuse', () => {
  const database = useTestDatabase();
  let warren: RunningWarren | undefined;
  afterEach(async () => {
    await warren?.close();
    warren = undefined;
  });

  it('stores and confirms persistent messages whose routing key, exchange name and headers hold NUL, and keeps them across a restart', async () => {
    warren = await startWarren(database.url);
    const connection = await amqp.connect(warren.amqpUrl);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue('nul.target', { durable: true });
    await channel.assertExchange('ex\u0000change', 'fanout', { durable: true });
    await channel.bindQueue('nul.target', 'ex\u0000change', 'bound\u0000key');
    await channel.bindQueue('nul.target', 'amq.fanout', '');
    const outcomes = await Promise.all([
      confirmOutcome(channel, (done) => channel.publish('amq.fanout', 'routing\u0000key', Buffer.from('one'), { persistent: true }, done)),
      confirmOutcome(channel, (done) => channel.publish('ex\u0000change', 'k', Buffer.from('two'), { persistent: true, headers: { 'h\u0000': 'v\u0000' } }, done)),
    ]);
    expect(outcomes).toEqual(['ack', 'ack']);
    await connection.close();

    await warren.close();
    warren = await startWarren(database.url);
    const again = await amqp.connect(warren.amqpUrl);
    const reader = await again.createChannel();
    const first = await reader.get('nul.target', { noAck: true });
    const second = await reader.get('nul.target', { noAck: true });
    expect(first && [first.fields.exchange, first.fields.routingKey, first.content.toString()]).toEqual(['amq.fanout', 'routing\u0000key', 'one']);
    expect(second && [second.fields.exchange, second.fields.routingKey, second.properties.headers]).toEqual(['ex\u0000change', 'k', { 'h\u0000': 'v\u0000' }]);
    // The durable binding with NUL in its key came back too.
    await reader.unbindQueue('nul.target', 'ex\u0000change', 'bound\u0000key');
    await again.close();
  });

  it('nacks a message the database refuses for good, to its publisher only, and confirms everything else', async () => {
    warren = await startWarren(database.url);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    // Stands in for any value the database will never accept: retrying cannot help.
    await db.query(`ALTER TABLE messages ADD CONSTRAINT refuse_poison CHECK (routing_key <> convert_to('poison', 'UTF8'))`);
    await db.end();

    const connection = await amqp.connect(warren.amqpUrl);
    const setup = await connection.createChannel();
    await setup.assertQueue('poison.target', { durable: true });
    await setup.bindQueue('poison.target', 'amq.topic', '#');
    const poisoner = await connection.createConfirmChannel();
    const bystanderConnection = await amqp.connect(warren.amqpUrl);
    const bystander = await bystanderConnection.createConfirmChannel();

    const poisonOutcome = confirmOutcome(poisoner, (done) => poisoner.publish('amq.topic', 'poison', Buffer.from('bad'), { persistent: true }, done));
    const neighbours = Array.from({ length: 50 }, (_, i) => confirmOutcome(poisoner, (done) =>
      poisoner.publish('amq.topic', `fine.${i}`, Buffer.from(`ok ${i}`), { persistent: true }, done)));
    const bystanders = Array.from({ length: 200 }, (_, i) => confirmOutcome(bystander, (done) =>
      bystander.publish('amq.topic', `other.${i}`, Buffer.from(`other ${i}`), { persistent: true }, done)));

    expect(await poisonOutcome).toBe('nack');
    expect(new Set(await Promise.all(neighbours))).toEqual(new Set(['ack']));
    expect(new Set(await Promise.all(bystanders))).toEqual(new Set(['ack']));
    // And later publishes go through at once: nothing is left retrying.
    expect(await confirmOutcome(bystander, (done) => bystander.publish('amq.topic', 'after', Buffer.from('after'), { persistent: true }, done), 2000)).toBe('ack');
    await connection.close();
    await bystanderConnection.close();

    await warren.close();
    warren = await startWarren(database.url);
    const again = await amqp.connect(warren.amqpUrl);
    const reader = await again.createChannel();
    const { messageCount } = await reader.checkQueue('poison.target');
    expect(messageCount).toBe(251);
    await again.close();
  });
});
