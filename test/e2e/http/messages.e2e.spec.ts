/** Publishing over HTTP and getting messages back, with every ack mode and payload encoding. */
import { TopologyService } from '../../../src/broker/topology/topology-service';
import { useApi } from './support/http-api';

describe('HTTP API: publish and get', () => {
  const http = useApi();
  const { api } = http;
  let queueCount = 0;

  /** A fresh queue holding the given payloads, published through the default exchange. */
  const queueWith = async (...payloads: string[]) => {
    const name = `q${++queueCount}`;
    await api.put(`/api/queues/%2F/${name}`).send({}).expect(201);
    for (const payload of payloads) await publish('amq.default', { routing_key: name, payload });
    return name;
  };
  const publish = (exchange: string, body: object) => api.post(`/api/exchanges/%2F/${exchange}/publish`).send({ properties: {}, ...body });
  const get = (queue: string, body: object) => api.post(`/api/queues/%2F/${queue}/get`).send(body);
  const counts = async (queue: string) => {
    const { body } = await api.get(`/api/queues/%2F/${queue}`).expect(200);
    return { ready: body.messages_ready, unacked: body.messages_unacknowledged };
  };

  describe('publish', () => {
    let fanoutQueue: string;
    beforeAll(async () => {
      fanoutQueue = await queueWith();
      await api.post(`/api/bindings/%2F/e/amq.fanout/q/${fanoutQueue}`).send({}).expect(201);
    });
    const nested = (depth: number): object => (depth === 0 ? { leaf: 1 } : { n: nested(depth - 1) });

    it('answers routed true when a queue took the message and false when none did', async () => {
      const queue = await queueWith();
      expect((await publish('amq.default', { routing_key: queue, payload: 'hi', payload_encoding: 'string' }).expect(200)).body).toEqual({ routed: true });
      expect((await publish('amq.default', { routing_key: 'nobody-home', payload: 'hi', payload_encoding: 'string' }).expect(200)).body).toEqual({ routed: false });
      expect(await counts(queue)).toEqual({ ready: 1, unacked: 0 });
    });

    it('routes through a named exchange and counts on it', async () => {
      const queue = await queueWith();
      await api.post(`/api/bindings/%2F/e/amq.direct/q/${queue}`).send({ routing_key: 'rk' }).expect(201);
      expect((await publish('amq.direct', { routing_key: 'rk', payload: 'x' }).expect(200)).body.routed).toBe(true);
      expect((await publish('amq.direct', { routing_key: 'other', payload: 'x' }).expect(200)).body.routed).toBe(false);
      const { body } = await api.get('/api/exchanges/%2F/amq.direct').expect(200);
      expect(body.message_stats.publish_in).toBe(2);
    });

    it('decodes a base64 payload to the exact bytes', async () => {
      const queue = await queueWith();
      const bytes = Buffer.from([0, 255, 1, 128, 10]);
      await publish('amq.default', { routing_key: queue, payload: bytes.toString('base64'), payload_encoding: 'base64' }).expect(200);
      const stored = http.app.get(TopologyService).queue('/', queue).take(false)!;
      expect(stored.message.body.equals(bytes)).toBe(true);
    });

    it('maps management-style properties onto the message', async () => {
      const queue = await queueWith();
      const properties = {
        delivery_mode: 2, priority: 5, headers: { 'x-retries': 3, nested: { a: [1, 'b'] } }, content_type: 'application/json',
        content_encoding: 'gzip', correlation_id: 'c-1', reply_to: 'replies', expiration: '60000', message_id: 'm-1',
        timestamp: 1700000000, type: 'order.created', user_id: 'guest', app_id: 'shop', cluster_id: 'c',
      };
      await publish('amq.default', { routing_key: queue, payload: '{}', properties }).expect(200);
      const stored = http.app.get(TopologyService).queue('/', queue).take(false)!;
      expect(stored.message.properties).toEqual({
        deliveryMode: 2, priority: 5, headers: { 'x-retries': 3, nested: { a: [1, 'b'] } }, contentType: 'application/json',
        contentEncoding: 'gzip', correlationId: 'c-1', replyTo: 'replies', expiration: '60000', messageId: 'm-1',
        timestamp: 1700000000, type: 'order.created', userId: 'guest', appId: 'shop', clusterId: 'c',
      });
      expect(stored.message).toMatchObject({ exchange: '', routingKey: queue });
    });

    it('refuses publishing to an internal exchange with 403', async () => {
      await api.put('/api/exchanges/%2F/inside').send({ type: 'fanout', internal: true }).expect(201);
      expect((await publish('inside', { routing_key: '', payload: 'x' }).expect(403)).body.error).toBe('access_refused');
    });

    it('answers 404 for a missing exchange', async () => {
      expect((await publish('nowhere', { routing_key: '', payload: 'x' }).expect(404)).body).toEqual({ error: 'not_found', reason: "no exchange 'nowhere' in vhost '/'" });
    });

    it.each([
      ['no payload', { routing_key: 'k' }, /payload must be a string/],
      ['no routing key', { payload: 'x' }, /routing_key must be a string/],
      ['a bad payload encoding', { routing_key: 'k', payload: 'x', payload_encoding: 'utf16' }, /payload_encoding/],
      ['a payload that is not base64', { routing_key: 'k', payload: 'not base64!', payload_encoding: 'base64' }, /payload must be base64/],
      ['delivery_mode 3', { routing_key: 'k', payload: 'x', properties: { delivery_mode: 3 } }, /delivery_mode/],
      ['priority 300', { routing_key: 'k', payload: 'x', properties: { priority: 300 } }, /priority/],
      ['a numeric expiration', { routing_key: 'k', payload: 'x', properties: { expiration: 60000 } }, /expiration/],
      ['headers as a string', { routing_key: 'k', payload: 'x', properties: { headers: 'h' } }, /headers/],
      ['properties as a string', { routing_key: 'k', payload: 'x', properties: 'p' }, /properties/],
      ['a routing key over 255 bytes', { routing_key: 'k'.repeat(256), payload: 'x' }, /routing_key must be at most 255 bytes/],
      ['a short-string property over 255 bytes', { routing_key: 'k', payload: 'x', properties: { correlation_id: 'é'.repeat(128) } }, /cannot be carried by AMQP: shortstr is 256 bytes/],
      ['a header name over 255 bytes', { routing_key: 'k', payload: 'x', properties: { headers: { ['h'.repeat(256)]: 1 } } }, /cannot be carried by AMQP/],
      ['headers nested 70 deep', { routing_key: 'k', payload: 'x', properties: { headers: nested(70) } }, /cannot be carried by AMQP: .*nested deeper/],
      ['a header shaped like a bad tagged value', { routing_key: 'k', payload: 'x', properties: { headers: { t: { type: 'I', value: 'str' } } } }, /cannot be carried by AMQP/],
    ])('refuses %s with 400', async (_case, body, reason) => {
      const response = await api.post('/api/exchanges/%2F/amq.fanout/publish').send(body).expect(400);
      expect(response.body).toEqual({ error: 'bad_request', reason: expect.stringMatching(reason) });
      expect(await counts(fanoutQueue)).toEqual({ ready: 0, unacked: 0 });
    });
  });

  describe('get', () => {
    it('returns a message with every field, and with ack_requeue_false removes it', async () => {
      const queue = await queueWith();
      await publish('amq.default', { routing_key: queue, payload: 'héllo', properties: { delivery_mode: 2, headers: { k: 'v' }, content_type: 'text/plain' } }).expect(200);
      const { body } = await get(queue, { count: 1, ackmode: 'ack_requeue_false', encoding: 'auto' }).expect(200);
      expect(body).toEqual([{
        payload: 'héllo', payload_encoding: 'string', payload_bytes: 6, redelivered: false, exchange: '', routing_key: queue, message_count: 0,
        properties: { delivery_mode: 2, headers: { k: 'v' }, content_type: 'text/plain' },
      }]);
      expect(await counts(queue)).toEqual({ ready: 0, unacked: 0 });
      expect((await api.get(`/api/queues/%2F/${queue}`).expect(200)).body.message_stats).toMatchObject({ deliver_get: 1, ack: 1 });
    });

    it('with ack_requeue_true returns distinct messages and puts them back, redelivered, in order', async () => {
      const queue = await queueWith('first', 'second', 'third');
      const { body: fetched } = await get(queue, { count: 2, ackmode: 'ack_requeue_true', encoding: 'auto' }).expect(200);
      expect(fetched.map((m: { payload: string }) => m.payload)).toEqual(['first', 'second']);
      expect(fetched.map((m: { message_count: number }) => m.message_count)).toEqual([2, 1]);
      expect(fetched.map((m: { redelivered: boolean }) => m.redelivered)).toEqual([false, false]);
      expect(await counts(queue)).toEqual({ ready: 3, unacked: 0 });
      const { body: again } = await get(queue, { count: 5, ackmode: 'ack_requeue_false', encoding: 'auto' }).expect(200);
      expect(again.map((m: { payload: string; redelivered: boolean }) => [m.payload, m.redelivered])).toEqual([['first', true], ['second', true], ['third', false]]);
    });

    it('with reject_requeue_true puts messages back and with reject_requeue_false drops them', async () => {
      const queue = await queueWith('a', 'b');
      await get(queue, { count: 2, ackmode: 'reject_requeue_true', encoding: 'auto' }).expect(200);
      expect(await counts(queue)).toEqual({ ready: 2, unacked: 0 });
      const { body } = await get(queue, { count: 1, ackmode: 'reject_requeue_false', encoding: 'auto' }).expect(200);
      expect(body).toEqual([expect.objectContaining({ payload: 'a', redelivered: true, message_count: 1 })]);
      expect(await counts(queue)).toEqual({ ready: 1, unacked: 0 });
    });

    it('answers an empty array for an empty queue', async () => {
      const queue = await queueWith();
      expect((await get(queue, { count: 3, ackmode: 'ack_requeue_true', encoding: 'auto' }).expect(200)).body).toEqual([]);
    });

    it('returns binary payloads as base64 under auto, and every payload as base64 when asked', async () => {
      const bytes = Buffer.from([0xff, 0xfe, 0x00]);
      const queue = await queueWith();
      await publish('amq.default', { routing_key: queue, payload: bytes.toString('base64'), payload_encoding: 'base64' }).expect(200);
      await publish('amq.default', { routing_key: queue, payload: 'text' }).expect(200);
      const { body: auto } = await get(queue, { count: 2, ackmode: 'ack_requeue_true', encoding: 'auto' }).expect(200);
      expect(auto.map((m: { payload: string; payload_encoding: string }) => [m.payload, m.payload_encoding])).toEqual([
        [bytes.toString('base64'), 'base64'], ['text', 'string'],
      ]);
      const { body: base64 } = await get(queue, { count: 2, ackmode: 'ack_requeue_true', encoding: 'base64' }).expect(200);
      expect(base64[1]).toMatchObject({ payload: Buffer.from('text').toString('base64'), payload_encoding: 'base64', payload_bytes: 4 });
    });

    it('truncates payloads to `truncate` bytes while payload_bytes tells the full size', async () => {
      const queue = await queueWith('0123456789');
      const { body } = await get(queue, { count: 1, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 4 }).expect(200);
      expect(body[0]).toMatchObject({ payload: '0123', payload_bytes: 10 });
    });

    it('defaults the encoding to auto', async () => {
      const queue = await queueWith('plain');
      expect((await get(queue, { count: 1, ackmode: 'ack_requeue_true' }).expect(200)).body[0].payload_encoding).toBe('string');
    });

    it.each([
      ['no count', { ackmode: 'ack_requeue_true' }, /count/],
      ['count 0', { count: 0, ackmode: 'ack_requeue_true' }, /count must not be less than 1/],
      ['count as a word', { count: 'two', ackmode: 'ack_requeue_true' }, /count must be an integer/],
      ['an unknown ack mode', { count: 1, ackmode: 'ack_maybe' }, /ackmode/],
      ['an unknown encoding', { count: 1, ackmode: 'ack_requeue_true', encoding: 'hex' }, /encoding/],
      ['a negative truncate', { count: 1, ackmode: 'ack_requeue_true', truncate: -1 }, /truncate/],
    ])('refuses %s with 400', async (_case, body, reason) => {
      const queue = await queueWith('kept');
      expect((await get(queue, body).expect(400)).body).toEqual({ error: 'bad_request', reason: expect.stringMatching(reason) });
      expect(await counts(queue)).toEqual({ ready: 1, unacked: 0 });
    });

    it('answers 404 for a missing queue', async () => {
      await get('missing', { count: 1, ackmode: 'ack_requeue_true' }).expect(404);
    });
  });
});
