/**
 * The REST API and AMQP clients share one broker: what one side publishes or
 * declares, the other sees, with properties and AMQP-only header types intact.
 */
import * as amqp from 'amqplib';
import { AmqpListener } from '../../../src/amqp/transport/amqp-listener';
import { useApi } from './support/http-api';

describe('HTTP API with AMQP clients', () => {
  let connection: amqp.ChannelModel;
  let channel: amqp.Channel;
  // Registered before useApi's: jest runs afterAll hooks in order, so the client leaves before the app closes.
  afterAll(() => connection?.close().catch(() => undefined));
  const http = useApi();
  const { api } = http;

  beforeAll(async () => {
    const port = await http.app.get(AmqpListener).listen();
    connection = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
    channel = await connection.createChannel();
  });

  it('delivers a message published over REST to an AMQP client with its properties', async () => {
    await api.put('/api/queues/%2F/rest-to-amqp').send({ durable: true }).expect(201);
    await api.post('/api/exchanges/%2F/amq.default/publish').send({
      routing_key: 'rest-to-amqp',
      payload: 'hello from REST',
      payload_encoding: 'string',
      properties: {
        delivery_mode: 2, priority: 4, content_type: 'text/plain', correlation_id: 'c-9', message_id: 'm-9', timestamp: 1700000000,
        headers: { 'x-retries': 3, ratio: 0.5, nested: { list: [1, 'two', true] }, empty: null },
      },
    }).expect(200);
    const message = await channel.get('rest-to-amqp', { noAck: true });
    expect(message).not.toBe(false);
    if (!message) return;
    expect(message.content.toString()).toBe('hello from REST');
    expect(message.fields).toMatchObject({ exchange: '', routingKey: 'rest-to-amqp', redelivered: false });
    expect(message.properties).toMatchObject({
      deliveryMode: 2, priority: 4, contentType: 'text/plain', correlationId: 'c-9', messageId: 'm-9', timestamp: 1700000000,
      headers: { 'x-retries': 3, ratio: 0.5, nested: { list: [1, 'two', true] }, empty: null },
    });
  });

  it('shows a message published over AMQP through REST get, rendering AMQP-only header types as JSON', async () => {
    await channel.assertQueue('amqp-to-rest', { durable: false });
    const confirms = await connection.createConfirmChannel();
    confirms.sendToQueue('amqp-to-rest', Buffer.from([0xde, 0xad, 0xbe, 0xef]), {
      contentType: 'application/octet-stream',
      timestamp: 1700000001,
      headers: {
        big: { '!': 'long', value: '9223372036854775807' },
        when: { '!': 'timestamp', value: 1700000002 },
        price: { '!': 'decimal', value: { places: 2, digits: 1999 } },
        raw: Buffer.from('bytes'),
      },
    });
    await confirms.waitForConfirms();
    const { body } = await api.post('/api/queues/%2F/amqp-to-rest/get').send({ count: 1, ackmode: 'ack_requeue_false', encoding: 'auto' }).expect(200);
    expect(body).toEqual([{
      payload: Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64'), payload_encoding: 'base64', payload_bytes: 4,
      redelivered: false, exchange: '', routing_key: 'amqp-to-rest', message_count: 0,
      properties: {
        content_type: 'application/octet-stream', timestamp: 1700000001,
        headers: { big: '9223372036854775807', when: 1700000002, price: 19.99, raw: 'bytes' },
      },
    }]);
  });

  it('shows AMQP-declared topology and consumers in REST, and REST-declared topology to AMQP', async () => {
    await channel.assertExchange('amqp-x', 'topic', { durable: false, arguments: { 'x-custom': 7 } });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, 'amqp-x', 'k.*');
    await channel.consume(queue, () => undefined, { consumerTag: 'ctag-rest' });

    expect((await api.get('/api/exchanges/%2F/amqp-x').expect(200)).body).toMatchObject({ type: 'topic', arguments: { 'x-custom': 7 } });
    const { body: listed } = await api.get(`/api/queues/%2F/${encodeURIComponent(queue)}`).expect(200);
    expect(listed).toMatchObject({ name: queue, exclusive: true, consumers: 1, consumer_details: [expect.objectContaining({ consumer_tag: 'ctag-rest' })] });
    expect((await api.get('/api/definitions').expect(200)).body.queues.map((q: { name: string }) => q.name)).not.toContain(queue);
    const { body: bindings } = await api.get(`/api/bindings/%2F/e/amqp-x/q/${encodeURIComponent(queue)}`).expect(200);
    expect(bindings).toEqual([expect.objectContaining({ routing_key: 'k.*' })]);

    await api.put('/api/exchanges/%2F/rest-x').send({ type: 'fanout', durable: true }).expect(201);
    await expect(channel.checkExchange('rest-x')).resolves.toBeDefined();
  });
});
