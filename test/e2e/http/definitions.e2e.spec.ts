/** /api/definitions: export in RabbitMQ's format, import exchanges, queues and bindings, per vhost too. */
import { createTestDatabase } from '../../support/test-database';
import { apiClient, startApp, useApi } from './support/http-api';

/** A file as RabbitMQ 3.12 exports it (trimmed to one of each). */
const RABBITMQ_EXPORT = {
  rabbit_version: '3.12.0',
  rabbitmq_version: '3.12.0',
  product_name: 'RabbitMQ',
  product_version: '3.12.0',
  users: [{ name: 'guest', password_hash: 'B3KOWfwplDewkvJlQEVg3FbmQYTO+gIhp/0yBaMfnrpGeKJX', hashing_algorithm: 'rabbit_password_hashing_sha256', tags: ['administrator'], limits: {} }],
  vhosts: [{ name: '/' }],
  permissions: [{ user: 'guest', vhost: '/', configure: '.*', write: '.*', read: '.*' }],
  topic_permissions: [],
  parameters: [],
  global_parameters: [{ name: 'cluster_name', value: 'rabbit@host' }],
  policies: [],
  queues: [{ name: 'imported-q', vhost: '/', durable: true, auto_delete: false, arguments: { 'x-queue-type': 'classic', 'x-max-priority': 5 } }],
  exchanges: [{ name: 'imported-x', vhost: '/', type: 'topic', durable: true, auto_delete: false, internal: false, arguments: {} }],
  bindings: [{ source: 'imported-x', vhost: '/', destination: 'imported-q', destination_type: 'queue', routing_key: 'a.#', arguments: {} }],
};

describe('HTTP API: definitions', () => {
  const { api } = useApi();

  it('imports a RabbitMQ export with 204, and the topology routes', async () => {
    await api.post('/api/definitions').send(RABBITMQ_EXPORT).expect(204);
    const { body: queue } = await api.get('/api/queues/%2F/imported-q').expect(200);
    expect(queue).toMatchObject({ durable: true, arguments: { 'x-queue-type': 'classic', 'x-max-priority': 5 } });
    expect((await api.get('/api/exchanges/%2F/imported-x').expect(200)).body).toMatchObject({ type: 'topic', durable: true });
    const routed = await api.post('/api/exchanges/%2F/imported-x/publish').send({ routing_key: 'a.b.c', payload: 'x' }).expect(200);
    expect(routed.body).toEqual({ routed: true });
    await api.post('/api/definitions').send(RABBITMQ_EXPORT).expect(204);
  });

  it('exports every section in RabbitMQ format, without the built-in exchanges or implicit bindings', async () => {
    await api.put('/api/exchanges/%2F/exported-x').send({ type: 'fanout', durable: true, arguments: { 'alternate-exchange': 'ae' } }).expect(201);
    await api.put('/api/queues/%2F/exported-q').send({ durable: false, auto_delete: true }).expect(201);
    await api.post('/api/bindings/%2F/e/exported-x/q/exported-q').send({ routing_key: 'rk', arguments: { k: 'v' } }).expect(201);
    await api.post('/api/bindings/%2F/e/amq.topic/q/exported-q').send({ routing_key: 'from.builtin' }).expect(201);
    const { body } = await api.get('/api/definitions').expect(200);

    expect(Object.keys(body).sort()).toEqual([
      'bindings', 'exchanges', 'global_parameters', 'parameters', 'permissions', 'policies', 'product_name', 'product_version',
      'queues', 'rabbit_version', 'rabbitmq_version', 'topic_permissions', 'users', 'vhosts',
    ]);
    expect(body.product_name).toBe('Warren');
    expect(body.users).toEqual([{ name: 'guest', password_hash: expect.any(String), hashing_algorithm: 'rabbit_password_hashing_sha256', tags: ['administrator'], limits: {} }]);
    expect(body.vhosts).toEqual([expect.objectContaining({ name: '/' })]);
    expect(body.permissions).toEqual([{ user: 'guest', vhost: '/', configure: '.*', write: '.*', read: '.*' }]);
    expect(body.exchanges).toContainEqual({ name: 'exported-x', vhost: '/', type: 'fanout', durable: true, auto_delete: false, internal: false, arguments: { 'alternate-exchange': 'ae' } });
    expect(body.exchanges.map((x: { name: string }) => x.name)).not.toContain('amq.topic');
    expect(body.exchanges.map((x: { name: string }) => x.name)).not.toContain('');
    expect(body.queues).toContainEqual({ name: 'exported-q', vhost: '/', durable: false, auto_delete: true, arguments: {} });
    expect(body.bindings).toContainEqual({ source: 'exported-x', vhost: '/', destination: 'exported-q', destination_type: 'queue', routing_key: 'rk', arguments: { k: 'v' } });
    expect(body.bindings).toContainEqual(expect.objectContaining({ source: 'amq.topic', routing_key: 'from.builtin' }));
    expect(body.bindings.filter((b: { source: string }) => b.source === '')).toEqual([]);
  });

  it('imports what it exported into a fresh broker, giving the same topology back', async () => {
    const exported = (await api.get('/api/definitions').expect(200)).body;
    const freshDatabase = await createTestDatabase();
    const fresh = await startApp(freshDatabase.url);
    try {
      await apiClient(fresh).post('/api/definitions').send(exported).expect(204);
      const reexported = (await apiClient(fresh).get('/api/definitions').expect(200)).body;
      const sorted = (items: object[]) => items.map((item) => JSON.stringify(item)).sort();
      for (const section of ['exchanges', 'queues', 'bindings']) {
        expect(sorted(reexported[section])).toEqual(sorted(exported[section]));
      }
      expect(exported.bindings.length).toBeGreaterThan(1);
    } finally {
      await fresh.close();
      await freshDatabase.drop();
    }
  });

  it('exports and imports one vhost at /api/definitions/{vhost}, without vhost on the items', async () => {
    const { body } = await api.get('/api/definitions/%2F').expect(200);
    expect(body).not.toHaveProperty('users');
    expect(body).not.toHaveProperty('vhosts');
    expect(body.queues.length).toBeGreaterThan(0);
    for (const item of [...body.queues, ...body.exchanges, ...body.bindings]) expect(item).not.toHaveProperty('vhost');

    await api.post('/api/definitions/%2F').send({
      queues: [{ name: 'per-vhost-q', durable: true, auto_delete: false, arguments: {} }],
      exchanges: [{ name: 'per-vhost-x', type: 'direct', durable: true, auto_delete: false, internal: false, arguments: {} }],
      bindings: [{ source: 'per-vhost-x', destination: 'per-vhost-q', destination_type: 'queue', routing_key: 'k', arguments: {} }],
    }).expect(204);
    await api.get('/api/bindings/%2F/e/per-vhost-x/q/per-vhost-q/k').expect(200);
    await api.post('/api/definitions/elsewhere').send({ queues: [] }).expect(404);
  });

  it('refuses a file naming a vhost that neither exists nor is defined in it, and imports nothing from it', async () => {
    const response = await api.post('/api/definitions').send({
      vhosts: [{ name: '/' }],
      users: [{ name: 'never-user', password_hash: '', tags: '' }],
      queues: [{ name: 'never-q', vhost: '/', durable: true, auto_delete: false, arguments: {} }, { name: 'never-q', vhost: 'staging', arguments: {} }],
    }).expect(400);
    expect(response.body).toEqual({ error: 'bad_request', reason: expect.stringContaining("vhost 'staging' does not exist") });
    await api.get('/api/queues/%2F/never-q').expect(404);
    await api.get('/api/users/never-user').expect(404);
    await api.post('/api/definitions').send({ queues: [{ name: 'never-q', arguments: {} }] }).expect(400);
    await api.get('/api/queues/%2F/never-q').expect(404);
  });

  it('creates the vhosts a file defines, and what it puts in them', async () => {
    await api.post('/api/definitions').send({
      vhosts: [{ name: 'staging', description: 'for tests', tags: 'a,b' }],
      queues: [{ name: 'staged-q', vhost: 'staging', durable: true, auto_delete: false, arguments: {} }],
    }).expect(204);
    expect((await api.get('/api/vhosts/staging').expect(200)).body).toMatchObject({ name: 'staging', description: 'for tests', tags: ['a', 'b'] });
    await api.get('/api/queues/staging/staged-q').expect(200);
  });

  it.each([
    ['policies', { policies: [{ vhost: '/', name: 'ttl', pattern: '.*', definition: { 'message-ttl': 1 } }] }, /policies are not supported/],
    ['parameters other than vhost limits', { parameters: [{ vhost: '/', component: 'shovel', name: 's', value: {} }] }, /parameters of component shovel are not supported/],
    ['queues that are not a list', { queues: { name: 'q' } }, /queues must be an array/],
    ['a queue without a name', { queues: [{ vhost: '/' }] }, /name must be a string/],
    ['a binding with a bad destination_type', { bindings: [{ source: 'x', vhost: '/', destination: 'q', destination_type: 'topic' }] }, /destination_type/],
    ['a quorum queue', { queues: [{ name: 'qq', vhost: '/', type: 'quorum' }] }, /only classic queues/],
  ])('refuses %s with 400', async (_case, body, reason) => {
    expect((await api.post('/api/definitions').send(body).expect(400)).body).toEqual({ error: 'bad_request', reason: expect.stringMatching(reason) });
  });

  it('stops at an inequivalent declaration with 400', async () => {
    await api.put('/api/queues/%2F/settled').send({ durable: true }).expect(201);
    const response = await api.post('/api/definitions').send({ queues: [{ name: 'settled', vhost: '/', durable: false, auto_delete: false, arguments: {} }] }).expect(400);
    expect(response.body.reason).toMatch(/inequivalent arg 'durable'/);
  });
});
