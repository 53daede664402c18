/** /api/overview, /api/vhosts and the OpenAPI docs. */
import { useApi } from './support/http-api';

describe('HTTP API: overview, vhosts and docs', () => {
  const { api } = useApi();

  it('gives the product, versions and totals of objects and messages at /api/overview', async () => {
    const before = (await api.get('/api/overview').expect(200)).body;
    expect(before).toMatchObject({
      product_name: 'Warren',
      product_version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      management_version: expect.any(String),
      rabbitmq_version: expect.any(String),
      node: expect.stringMatching(/^warren@/),
      exchange_types: expect.arrayContaining([expect.objectContaining({ name: 'topic', enabled: true })]),
      queue_totals: { messages: 0, messages_ready: 0, messages_unacknowledged: 0 },
      object_totals: { connections: 0, channels: 0, consumers: 0, exchanges: 6, queues: 0 },
    });

    await api.put('/api/exchanges/%2F/counted').send({ type: 'direct' }).expect(201);
    await api.put('/api/queues/%2F/counted').send({}).expect(201);
    await api.post('/api/exchanges/%2F/amq.default/publish').send({ routing_key: 'counted', payload: 'x' }).expect(200);
    const after = (await api.get('/api/overview').expect(200)).body;
    expect(after.object_totals).toMatchObject({ exchanges: 7, queues: 1 });
    expect(after.queue_totals).toMatchObject({ messages: 1, messages_ready: 1, messages_unacknowledged: 0 });
  });

  it('lists the vhosts, and reads one with its message totals', async () => {
    const { body: vhosts } = await api.get('/api/vhosts').expect(200);
    expect(vhosts.map((v: { name: string }) => v.name)).toEqual(['/']);
    const { body: root } = await api.get('/api/vhosts/%2F').expect(200);
    expect(root).toMatchObject({ name: '/', description: 'Default virtual host', tags: [], default_queue_type: 'classic', tracing: false });
    expect(root).toHaveProperty('messages');
    expect(root.messages).toBe(root.messages_ready + root.messages_unacknowledged);
  });

  it('serves an OpenAPI description of every resource at /api/docs-json, and the UI at /api/docs', async () => {
    const { body: document } = await api.anonymous().get('/api/docs-json').expect(200);
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('Warren HTTP API');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining([
      '/api/exchanges/{vhost}/{name}', '/api/queues/{vhost}/{name}/get', '/api/exchanges/{vhost}/{name}/publish',
      '/api/bindings/{vhost}/e/{source}/q/{destination}/{props}', '/api/definitions', '/api/overview', '/api/vhosts',
    ]));
    expect(document.paths['/api/exchanges/{vhost}/{name}'].put.requestBody.content['application/json'].schema.$ref).toMatch(/ExchangeDeclarationDto/);
    expect(document.components.schemas.ExchangeDeclarationDto.properties).toHaveProperty('auto_delete');
    expect(document.components.securitySchemes).toHaveProperty('basic');
    const ui = await api.anonymous().get('/api/docs').expect(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });
});
