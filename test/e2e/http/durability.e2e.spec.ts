/**
 * Durable topology declared over REST survives a restart on the same database;
 * transient topology, and bindings with a transient end, do not.
 */
import { INestApplication } from '@nestjs/common';
import { useTestDatabase } from '../../support/test-database';
import { apiClient, ApiClient, startApp } from './support/http-api';

describe('HTTP API: durability across a restart', () => {
  const database = useTestDatabase();
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const restart = async (): Promise<ApiClient> => {
    await app?.close();
    app = await startApp(database.url);
    return apiClient(app);
  };

  it('keeps durable exchanges, queues and bindings, and drops transient ones', async () => {
    let api = await restart();
    await api.put('/api/exchanges/%2F/d-x').send({ type: 'topic', durable: true, arguments: { 'alternate-exchange': 'd-ae' } }).expect(201);
    await api.put('/api/exchanges/%2F/d-x2').send({ type: 'headers', durable: true }).expect(201);
    await api.put('/api/queues/%2F/d-q').send({ durable: true, arguments: { 'x-max-priority': 9 } }).expect(201);
    await api.post('/api/bindings/%2F/e/d-x/q/d-q').send({ routing_key: 'a.*.#' }).expect(201);
    await api.post('/api/bindings/%2F/e/d-x/e/d-x2').send({ routing_key: 'e2e' }).expect(201);
    await api.post('/api/bindings/%2F/e/d-x2/q/d-q').send({ arguments: { 'x-match': 'any', kind: 'pdf' } }).expect(201);
    await api.post('/api/bindings/%2F/e/amq.fanout/q/d-q').send({}).expect(201);

    await api.put('/api/exchanges/%2F/t-x').send({ type: 'fanout', durable: false }).expect(201);
    await api.put('/api/queues/%2F/t-q').send({ durable: false }).expect(201);
    await api.post('/api/bindings/%2F/e/d-x/q/t-q').send({ routing_key: 'to.transient' }).expect(201);
    await api.post('/api/bindings/%2F/e/t-x/q/d-q').send({ routing_key: 'from.transient' }).expect(201);
    const before = (await api.get('/api/definitions').expect(200)).body;

    api = await restart();

    expect((await api.get('/api/exchanges/%2F/d-x').expect(200)).body).toMatchObject({
      type: 'topic', durable: true, auto_delete: false, internal: false, arguments: { 'alternate-exchange': 'd-ae' },
    });
    expect((await api.get('/api/queues/%2F/d-q').expect(200)).body).toMatchObject({ durable: true, arguments: { 'x-max-priority': 9 } });
    await api.get('/api/exchanges/%2F/t-x').expect(404);
    await api.get('/api/queues/%2F/t-q').expect(404);

    const durableBindings = (await api.get('/api/bindings/%2F').expect(200)).body.filter((b: { source: string }) => b.source !== '');
    const key = (b: { source: string; destination: string; routing_key: string }) => `${b.source}->${b.destination}:${b.routing_key}`;
    expect(durableBindings.map(key).sort()).toEqual(['amq.fanout->d-q:', 'd-x->d-q:a.*.#', 'd-x->d-x2:e2e', 'd-x2->d-q:']);
    expect(durableBindings.find((b: { source: string }) => b.source === 'd-x2').arguments).toEqual({ 'x-match': 'any', kind: 'pdf' });

    // Routing works on the recovered topology: topic, exchange-to-exchange and headers.
    const publish = (exchange: string, body: object) => api.post(`/api/exchanges/%2F/${exchange}/publish`).send({ payload: 'x', properties: {}, ...body });
    expect((await publish('d-x', { routing_key: 'a.b' }).expect(200)).body.routed).toBe(true);
    expect((await publish('d-x', { routing_key: 'to.transient' }).expect(200)).body.routed).toBe(false);
    expect((await publish('d-x2', { routing_key: '', properties: { headers: { kind: 'pdf' } } }).expect(200)).body.routed).toBe(true);

    const after = (await api.get('/api/definitions').expect(200)).body;
    const durable = (items: { durable?: boolean }[]) => items.filter((item) => item.durable !== false);
    expect(after.exchanges).toEqual(durable(before.exchanges));
    expect(after.queues).toEqual(durable(before.queues));
  });

  it('forgets a durable queue deleted before the restart, with its bindings', async () => {
    let api = await restart();
    await api.put('/api/exchanges/%2F/keep-x').send({ type: 'direct', durable: true }).expect(201);
    await api.put('/api/queues/%2F/gone-q').send({ durable: true }).expect(201);
    await api.post('/api/bindings/%2F/e/keep-x/q/gone-q').send({ routing_key: 'k' }).expect(201);
    await api.delete('/api/queues/%2F/gone-q').expect(204);
    await api.put('/api/exchanges/%2F/gone-x').send({ type: 'direct', durable: true }).expect(201);
    await api.delete('/api/exchanges/%2F/gone-x').expect(204);

    api = await restart();
    await api.get('/api/queues/%2F/gone-q').expect(404);
    await api.get('/api/exchanges/%2F/gone-x').expect(404);
    expect((await api.get('/api/exchanges/%2F/keep-x/bindings/source').expect(200)).body).toEqual([]);
  });

  it('forgets a durable binding deleted before the restart', async () => {
    let api = await restart();
    await api.put('/api/exchanges/%2F/unbound-x').send({ type: 'direct', durable: true }).expect(201);
    await api.put('/api/queues/%2F/unbound-q').send({ durable: true }).expect(201);
    const created = await api.post('/api/bindings/%2F/e/unbound-x/q/unbound-q').send({ routing_key: 'k' }).expect(201);
    await api.delete(created.headers.location).expect(204);

    api = await restart();
    await api.get('/api/queues/%2F/unbound-q').expect(200);
    expect((await api.get('/api/bindings/%2F/e/unbound-x/q/unbound-q').expect(200)).body).toEqual([]);
  });
});
