/** /api/bindings: create with a Location, read and delete by properties key, list, and refuse the default exchange. */
import { useApi } from './support/http-api';

describe('HTTP API: bindings', () => {
  const { api } = useApi();

  beforeAll(async () => {
    await api.put('/api/exchanges/%2F/src').send({ type: 'topic' }).expect(201);
    await api.put('/api/exchanges/%2F/dst').send({ type: 'fanout' }).expect(201);
    await api.put('/api/exchanges/%2F/hdr').send({ type: 'headers' }).expect(201);
    await api.put('/api/queues/%2F/q1').send({}).expect(201);
  });

  const publish = (exchange: string, routingKey: string, headers?: object) =>
    api.post(`/api/exchanges/%2F/${exchange}/publish`).send({ routing_key: routingKey, payload: 'x', properties: headers ? { headers } : {} }).expect(200);

  it('binds an exchange to a queue with 201 and a Location that reads the binding back', async () => {
    const created = await api.post('/api/bindings/%2F/e/src/q/q1').send({ routing_key: 'orders.*', arguments: {} }).expect(201);
    expect(created.headers.location).toBe('/api/bindings/%2F/e/src/q/q1/orders.*');
    const { body } = await api.get(created.headers.location).expect(200);
    expect(body).toEqual({ source: 'src', vhost: '/', destination: 'q1', destination_type: 'queue', routing_key: 'orders.*', arguments: {}, properties_key: 'orders.*' });
    expect((await publish('src', 'orders.new')).body).toEqual({ routed: true });
  });

  it('binds an exchange to an exchange, and routing follows it', async () => {
    await api.put('/api/queues/%2F/q-e2e').send({}).expect(201);
    await api.post('/api/bindings/%2F/e/dst/q/q-e2e').send({}).expect(201);
    expect((await publish('src', 'chain.key')).body).toEqual({ routed: false });
    const created = await api.post('/api/bindings/%2F/e/src/e/dst').send({ routing_key: 'chain.#' }).expect(201);
    expect(created.headers.location).toBe('/api/bindings/%2F/e/src/e/dst/chain.%23');
    const { body } = await api.get(created.headers.location).expect(200);
    expect(body).toMatchObject({ source: 'src', destination: 'dst', destination_type: 'exchange', routing_key: 'chain.#', properties_key: 'chain.#' });
    expect((await publish('src', 'chain.key')).body).toEqual({ routed: true });
  });

  it('names a binding with arguments by its key and a hash, and an empty key as ~', async () => {
    const withArgs = await api.post('/api/bindings/%2F/e/hdr/q/q1').send({ arguments: { 'x-match': 'any', format: 'pdf' } }).expect(201);
    const withoutArgs = await api.post('/api/bindings/%2F/e/hdr/q/q1').send({}).expect(201);
    expect(withoutArgs.headers.location).toBe('/api/bindings/%2F/e/hdr/q/q1/~');
    expect(withArgs.headers.location).toMatch(/^\/api\/bindings\/%2F\/e\/hdr\/q\/q1\/~[0-9a-z]+$/);
    const { body } = await api.get(withArgs.headers.location).expect(200);
    expect(body.arguments).toEqual({ 'x-match': 'any', format: 'pdf' });
    const { body: between } = await api.get('/api/bindings/%2F/e/hdr/q/q1').expect(200);
    expect(between.map((b: { properties_key: string }) => b.properties_key).sort()).toEqual([body.properties_key, '~'].sort());
  });

  it('treats binding the same key and arguments twice as one binding', async () => {
    await api.put('/api/queues/%2F/q-twice').send({}).expect(201);
    await api.post('/api/bindings/%2F/e/src/q/q-twice').send({ routing_key: 'k' }).expect(201);
    await api.post('/api/bindings/%2F/e/src/q/q-twice').send({ routing_key: 'k' }).expect(201);
    expect((await api.get('/api/bindings/%2F/e/src/q/q-twice').expect(200)).body).toHaveLength(1);
  });

  it('deletes a binding by its properties key, after which routing stops', async () => {
    await api.put('/api/queues/%2F/q-unbind').send({}).expect(201);
    const created = await api.post('/api/bindings/%2F/e/src/q/q-unbind').send({ routing_key: 'gone.soon' }).expect(201);
    expect((await publish('src', 'gone.soon')).body.routed).toBe(true);
    await api.delete(created.headers.location).expect(204);
    await api.get(created.headers.location).expect(404);
    await api.delete(created.headers.location).expect(404);
    expect((await api.get('/api/queues/%2F/q-unbind/bindings').expect(200)).body).toHaveLength(1);
  });

  it('deletes an exchange-to-exchange binding', async () => {
    await api.put('/api/exchanges/%2F/e-del').send({ type: 'direct' }).expect(201);
    await api.post('/api/bindings/%2F/e/e-del/e/dst').send({ routing_key: 'r' }).expect(201);
    await api.delete('/api/bindings/%2F/e/e-del/e/dst/r').expect(204);
    expect((await api.get('/api/bindings/%2F/e/e-del/e/dst').expect(200)).body).toEqual([]);
  });

  it('lists every binding, per vhost too, sorted as RabbitMQ does: the implicit default-exchange ones first', async () => {
    const { body: all } = await api.get('/api/bindings').expect(200);
    const { body: inRoot } = await api.get('/api/bindings/%2F').expect(200);
    expect(inRoot).toEqual(all);
    const sources = all.map((b: { source: string }) => b.source);
    expect(sources).toEqual([...sources].sort());
    expect(all).toContainEqual({ source: '', vhost: '/', destination: 'q1', destination_type: 'queue', routing_key: 'q1', arguments: {}, properties_key: 'q1' });
    expect(all).toContainEqual(expect.objectContaining({ source: 'src', destination: 'q1', routing_key: 'orders.*' }));
    expect(all.filter((b: { source: string }) => b.source === '')).toHaveLength((await api.get('/api/queues/%2F').expect(200)).body.length);
  });

  it('shows the implicit binding between the default exchange and a queue, and refuses to change it', async () => {
    const { body } = await api.get('/api/bindings/%2F/e/amq.default/q/q1').expect(200);
    expect(body).toEqual([expect.objectContaining({ source: '', routing_key: 'q1', properties_key: 'q1' })]);
    await api.get('/api/bindings/%2F/e/amq.default/q/q1/q1').expect(200);
    expect((await api.post('/api/bindings/%2F/e/amq.default/q/q1').send({ routing_key: 'other' }).expect(403)).body.error).toBe('access_refused');
    await api.delete('/api/bindings/%2F/e/amq.default/q/q1/q1').expect(403);
  });

  it.each([
    ['a missing source', '/api/bindings/%2F/e/missing/q/q1'],
    ['a missing queue', '/api/bindings/%2F/e/src/q/missing'],
    ['a missing destination exchange', '/api/bindings/%2F/e/src/e/missing'],
    ['a missing vhost', '/api/bindings/nowhere/e/src/q/q1'],
  ])('answers 404 for %s', async (_case, path) => {
    await api.post(path).send({ routing_key: 'k' }).expect(404);
    await api.get(path).expect(404);
    await api.get(`${path}/k`).expect(404);
  });

  it('refuses a headers binding with a bad x-match, and wrong types, with 400', async () => {
    expect((await api.post('/api/bindings/%2F/e/hdr/q/q1').send({ arguments: { 'x-match': 'some' } }).expect(400)).body.error).toBe('bad_request');
    await api.post('/api/bindings/%2F/e/src/q/q1').send({ routing_key: 5 }).expect(400);
    await api.post('/api/bindings/%2F/e/src/q/q1').send({ arguments: 'x' }).expect(400);
    const tooLong = await api.post('/api/bindings/%2F/e/src/q/q1').send({ routing_key: 'k'.repeat(256) }).expect(400);
    expect(tooLong.body.reason).toMatch(/routing_key must be at most 255 bytes/);
  });
});
