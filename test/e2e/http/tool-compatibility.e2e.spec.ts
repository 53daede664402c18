/**
 * What rabbitmqadmin and RabbitMQ's UI send, accepted as RabbitMQ accepts it:
 * booleans as "true"/"false", integers as strings of digits, and fields the URL
 * already names (vhost, name, ...) or that Warren does not read. Wrong types
 * are still refused with 400 and a reason.
 */
import { useApi } from './support/http-api';

describe('HTTP API: what tools send', () => {
  const { api } = useApi();

  it('takes the bodies rabbitmqadmin sends to declare, publish, get and delete', async () => {
    // As `rabbitmqadmin declare exchange name=tools.x type=topic` sends it.
    await api.put('/api/exchanges/%2F/tools.x').send({ name: 'tools.x', type: 'topic', auto_delete: 'false', durable: 'true', internal: 'false', arguments: {}, vhost: '/' }).expect(201);
    await api.put('/api/queues/%2F/tools.q').send({ name: 'tools.q', auto_delete: 'false', durable: 'true', arguments: {}, vhost: '/', node: 'rabbit@x' }).expect(201);
    await api.post('/api/bindings/%2F/e/tools.x/q/tools.q').send({ source: 'tools.x', destination: 'tools.q', destination_type: 'queue', routing_key: 'a.#', arguments: {}, vhost: '/' }).expect(201);
    await api.post('/api/exchanges/%2F/tools.x/publish').send({ routing_key: 'a.b', payload: 'hi', exchange: 'tools.x', payload_encoding: 'string', properties: { delivery_mode: '2', priority: '3' }, vhost: '/' }).expect(200);
    const got = await api.post('/api/queues/%2F/tools.q/get').send({ queue: 'tools.q', count: '1', ackmode: 'ack_requeue_false', encoding: 'auto', vhost: '/' }).expect(200);
    expect(got.body).toEqual([expect.objectContaining({ payload: 'hi', properties: expect.objectContaining({ delivery_mode: 2, priority: 3 }) })]);
    await api.put('/api/users/tools-user').send({ name: 'tools-user', password: 'p', tags: 'management', hashing_algorithm: 'rabbit_password_hashing_sha256' }).expect(201);
    await api.put('/api/permissions/%2F/tools-user').send({ vhost: '/', user: 'tools-user', configure: '.*', write: '.*', read: '.*' }).expect(201);
    await api.put('/api/vhosts/tools-vhost').send({ name: 'tools-vhost', tracing: 'false' }).expect(201);
    await api.put('/api/vhost-limits/tools-vhost/max-queues').send({ vhost: 'tools-vhost', name: 'max-queues', value: 5 }).expect(204);
    const exchange = (await api.get('/api/exchanges/%2F/tools.x').expect(200)).body;
    expect(exchange).toMatchObject({ durable: true, auto_delete: false, internal: false });
  });

  it('takes what the management UI sends: string booleans and its own names for settings', async () => {
    await api.put('/api/queues/%2F/ui.q').send({ vhost: '/', name: 'ui.q', durable: 'false', auto_delete: 'true', arguments: {} }).expect(201);
    expect((await api.get('/api/queues/%2F/ui.q').expect(200)).body).toMatchObject({ durable: false, auto_delete: true });
    await api.put('/api/vhosts/ui-vhost').send({ description: 'from the UI', tags: 'a,b', defaultqueuetype: 'classic', tracing: false }).expect(201);
    expect((await api.get('/api/vhosts/ui-vhost').expect(200)).body).toMatchObject({ description: 'from the UI', tags: ['a', 'b'], default_queue_type: 'classic' });
  });

  it('ignores fields it does not know, at the top and inside properties', async () => {
    await api.put('/api/exchanges/%2F/extra.x').send({ type: 'direct', colour: 'red', nested: { anything: [1] } }).expect(201);
    await api.put('/api/queues/%2F/extra.q').send({ durible: true }).expect(201);
    await api.post('/api/exchanges/%2F/amq.default/publish').send({ routing_key: 'extra.q', payload: 'x', properties: { colour: 'red' }, mandatory: true }).expect(200);
    const [message] = (await api.post('/api/queues/%2F/extra.q/get').send({ count: 1, ackmode: 'ack_requeue_false' }).expect(200)).body;
    expect(message.properties).not.toHaveProperty('colour');
    await api.post('/api/definitions').send({ shovels: [], queues: [{ name: 'extra.def', vhost: '/', durable: 'true', colour: 'red' }] }).expect(204);
    expect((await api.get('/api/queues/%2F/extra.def').expect(200)).body).toMatchObject({ durable: true });
  });

  it.each([
    ['a boolean that is neither true nor false', '/api/queues/%2F/bad.q', { durable: 'yes' }, /durable must be a boolean/],
    ['a boolean as a number', '/api/exchanges/%2F/bad.x', { type: 'direct', internal: 1 }, /internal must be a boolean/],
    ['a capitalised boolean', '/api/queues/%2F/bad.q', { auto_delete: 'True' }, /auto_delete must be a boolean/],
    ['arguments as a string', '/api/queues/%2F/bad.q', { arguments: '{}' }, /arguments must be a JSON object/],
    ['an exclusive queue, even as a string', '/api/queues/%2F/bad.q', { exclusive: 'true' }, /exclusive queues belong to an AMQP connection/],
  ])('still refuses %s with 400', async (_case, path, body, reason) => {
    const response = await api.put(path).send(body).expect(400);
    expect(response.body).toEqual({ error: 'bad_request', reason: expect.stringMatching(reason) });
    await api.get(path).expect(404);
  });

  it.each([
    ['a count that is not a number', { count: 'one', ackmode: 'ack_requeue_true' }, /count must be an integer/],
    ['a count with a fraction', { count: '1.5', ackmode: 'ack_requeue_true' }, /count must be an integer/],
    ['a priority that is not a number', undefined, /priority must be an integer/],
  ])('still refuses %s with 400', async (_case, body, reason) => {
    await api.put('/api/queues/%2F/typed.q').send({}).expect((r) => expect([201, 204]).toContain(r.status));
    const response = body
      ? await api.post('/api/queues/%2F/typed.q/get').send(body)
      : await api.post('/api/exchanges/%2F/amq.default/publish').send({ routing_key: 'typed.q', payload: 'x', properties: { priority: 'high' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'bad_request', reason: expect.stringMatching(reason) });
  });
});
