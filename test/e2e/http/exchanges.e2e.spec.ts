/** /api/exchanges: declare (201 then 204), read, list, delete with if-unused, and the default exchange. */
import { useApi } from './support/http-api';

describe('HTTP API: exchanges', () => {
  const { api } = useApi();

  it('declares with 201, redeclares the same with 204, and reads back every RabbitMQ field', async () => {
    const body = { type: 'topic', durable: true, auto_delete: false, internal: false, arguments: { 'alternate-exchange': 'ae', custom: [1, 'two'] } };
    await api.put('/api/exchanges/%2F/orders').send(body).expect(201);
    await api.put('/api/exchanges/%2F/orders').send(body).expect(204);
    const { body: exchange } = await api.get('/api/exchanges/%2F/orders').expect(200);
    expect(exchange).toEqual({
      name: 'orders',
      vhost: '/',
      type: 'topic',
      durable: true,
      auto_delete: false,
      internal: false,
      arguments: { 'alternate-exchange': 'ae', custom: [1, 'two'] },
      user_who_performed_action: expect.any(String),
      policy: null,
      message_stats: { publish_in: 0, publish_in_details: { rate: 0 }, publish_out: 0, publish_out_details: { rate: 0 } },
    });
  });

  it('applies AMQP defaults for what the body leaves out: direct, transient, not auto-delete, not internal', async () => {
    await api.put('/api/exchanges/%2F/bare').expect(201);
    const { body } = await api.get('/api/exchanges/%2F/bare').expect(200);
    expect(body).toMatchObject({ type: 'direct', durable: false, auto_delete: false, internal: false, arguments: {} });
  });

  it('accepts the name and vhost that rabbitmqadmin repeats in the body, and lets the URL decide', async () => {
    await api.put('/api/exchanges/%2F/from-url').send({ name: 'from-body', vhost: 'elsewhere', type: 'fanout' }).expect(201);
    await api.get('/api/exchanges/%2F/from-url').expect(200);
    await api.get('/api/exchanges/%2F/from-body').expect(404);
  });

  it('decodes names from the URL', async () => {
    await api.put('/api/exchanges/%2F/a%2Fb%20c%C3%A9').send({ type: 'direct' }).expect(201);
    const { body } = await api.get('/api/exchanges/%2F/a%2Fb%20c%C3%A9').expect(200);
    expect(body.name).toBe('a/b cé');
  });

  it('refuses to declare a new amq.* exchange with 403 access_refused', async () => {
    const response = await api.put('/api/exchanges/%2F/amq.custom').send({ type: 'fanout' }).expect(403);
    expect(response.body).toEqual({ error: 'access_refused', reason: expect.stringContaining("reserved prefix 'amq.*'") });
    await api.get('/api/exchanges/%2F/amq.custom').expect(404);
  });

  it('refuses to redeclare a built-in exchange with another type as inequivalent', async () => {
    const response = await api.put('/api/exchanges/%2F/amq.direct').send({ type: 'fanout', durable: true }).expect(400);
    expect(response.body.reason).toMatch(/inequivalent arg 'type'/);
  });

  it('answers 204 for redeclaring a built-in exchange with its own settings', async () => {
    await api.put('/api/exchanges/%2F/amq.topic').send({ type: 'topic', durable: true }).expect(204);
  });

  it('lists the default exchange as "" and addresses it as amq.default, which cannot be changed', async () => {
    const { body: listed } = await api.get('/api/exchanges/%2F').expect(200);
    const names = listed.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['', 'amq.direct', 'amq.fanout', 'amq.topic', 'amq.headers', 'amq.match']));
    const { body: defaultExchange } = await api.get('/api/exchanges/%2F/amq.default').expect(200);
    expect(defaultExchange).toMatchObject({ name: '', type: 'direct', durable: true, user_who_performed_action: 'rmq-internal' });
    expect((await api.put('/api/exchanges/%2F/amq.default').send({ type: 'direct', durable: true }).expect(403)).body.error).toBe('access_refused');
    await api.delete('/api/exchanges/%2F/amq.default').expect(403);
    await api.delete('/api/exchanges/%2F/amq.fanout').expect(403);
  });

  it('lists exchanges of every vhost at /api/exchanges and of one at /api/exchanges/{vhost}', async () => {
    await api.put('/api/exchanges/%2F/listed').send({ type: 'headers' }).expect(201);
    const { body: all } = await api.get('/api/exchanges').expect(200);
    const { body: inRoot } = await api.get('/api/exchanges/%2F').expect(200);
    expect(all).toContainEqual(expect.objectContaining({ name: 'listed', vhost: '/', type: 'headers' }));
    expect(inRoot).toContainEqual(expect.objectContaining({ name: 'listed', vhost: '/', type: 'headers' }));
    expect(all.length).toBeGreaterThanOrEqual(inRoot.length);
  });

  it('deletes with 204, after which it is gone', async () => {
    await api.put('/api/exchanges/%2F/doomed').send({ type: 'direct' }).expect(201);
    await api.delete('/api/exchanges/%2F/doomed').expect(204);
    await api.get('/api/exchanges/%2F/doomed').expect(404);
  });

  it('keeps an exchange in use when deleting with if-unused=true, and deletes it once unused', async () => {
    await api.put('/api/exchanges/%2F/busy').send({ type: 'direct' }).expect(201);
    await api.put('/api/queues/%2F/busy-q').send({}).expect(201);
    await api.post('/api/bindings/%2F/e/busy/q/busy-q').send({ routing_key: 'k' }).expect(201);
    const refused = await api.delete('/api/exchanges/%2F/busy?if-unused=true').expect(400);
    expect(refused.body).toEqual({ error: 'bad_request', reason: expect.stringContaining('in use') });
    await api.get('/api/exchanges/%2F/busy').expect(200);
    await api.delete('/api/bindings/%2F/e/busy/q/busy-q/k').expect(204);
    await api.delete('/api/exchanges/%2F/busy?if-unused=true').expect(204);
    await api.get('/api/exchanges/%2F/busy').expect(404);
  });

  it('deletes an exchange in use without if-unused, together with its bindings', async () => {
    await api.put('/api/exchanges/%2F/bound').send({ type: 'fanout' }).expect(201);
    await api.put('/api/queues/%2F/bound-q').send({}).expect(201);
    await api.post('/api/bindings/%2F/e/bound/q/bound-q').send({}).expect(201);
    await api.delete('/api/exchanges/%2F/bound?if-unused=false').expect(204);
    const { body } = await api.get('/api/queues/%2F/bound-q/bindings').expect(200);
    expect(body.map((b: { source: string }) => b.source)).toEqual(['']);
  });

  it('lists the bindings an exchange is the source of, and those it is the destination of', async () => {
    await api.put('/api/exchanges/%2F/upstream').send({ type: 'topic' }).expect(201);
    await api.put('/api/exchanges/%2F/downstream').send({ type: 'fanout' }).expect(201);
    await api.put('/api/queues/%2F/down-q').send({}).expect(201);
    await api.post('/api/bindings/%2F/e/upstream/e/downstream').send({ routing_key: 'a.#' }).expect(201);
    await api.post('/api/bindings/%2F/e/downstream/q/down-q').send({}).expect(201);

    const { body: fromUpstream } = await api.get('/api/exchanges/%2F/upstream/bindings/source').expect(200);
    expect(fromUpstream).toEqual([
      { source: 'upstream', vhost: '/', destination: 'downstream', destination_type: 'exchange', routing_key: 'a.#', arguments: {}, properties_key: 'a.#' },
    ]);
    const { body: toDownstream } = await api.get('/api/exchanges/%2F/downstream/bindings/destination').expect(200);
    expect(toDownstream).toEqual(fromUpstream);
    const { body: fromDownstream } = await api.get('/api/exchanges/%2F/downstream/bindings/source').expect(200);
    expect(fromDownstream).toEqual([expect.objectContaining({ source: 'downstream', destination: 'down-q', destination_type: 'queue' })]);
    expect((await api.get('/api/exchanges/%2F/upstream/bindings/destination').expect(200)).body).toEqual([]);
    await api.get('/api/exchanges/%2F/missing/bindings/source').expect(404);
  });

  it('lists the implicit bindings as the source of the default exchange', async () => {
    await api.put('/api/queues/%2F/implicit-q').send({}).expect(201);
    const { body } = await api.get('/api/exchanges/%2F/amq.default/bindings/source').expect(200);
    expect(body).toContainEqual({
      source: '', vhost: '/', destination: 'implicit-q', destination_type: 'queue', routing_key: 'implicit-q', arguments: {}, properties_key: 'implicit-q',
    });
  });
});
