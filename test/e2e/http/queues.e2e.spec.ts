/** /api/queues: declare, read with counts, list, delete with if-empty and if-unused, purge, and a queue's bindings. */
import { TopologyService } from '../../../src/broker/topology/topology-service';
import type { Consumer } from '../../../src/broker/queue/consumer';
import { useApi } from './support/http-api';

/** A consumer that never has room, so messages stay ready while it counts as a consumer. */
const idleConsumer = (tag: string, exclusive = false): Consumer => ({
  tag, exclusive, noAck: false, hasCapacity: () => false, deliver: () => undefined, cancelledByBroker: () => undefined,
});

describe('HTTP API: queues', () => {
  const http = useApi();
  const { api } = http;

  const publish = (queue: string, payload: string) =>
    api.post('/api/exchanges/%2F/amq.default/publish').send({ routing_key: queue, payload, properties: {} }).expect(200);

  it('declares with 201, redeclares with 204, and reads back every RabbitMQ field', async () => {
    const body = { durable: true, auto_delete: false, arguments: { 'x-max-priority': 10, 'x-custom': 'kept' } };
    await api.put('/api/queues/%2F/jobs').send(body).expect(201);
    await api.put('/api/queues/%2F/jobs').send(body).expect(204);
    const { body: queue } = await api.get('/api/queues/%2F/jobs').expect(200);
    expect(queue).toEqual({
      name: 'jobs',
      vhost: '/',
      durable: true,
      auto_delete: false,
      exclusive: false,
      arguments: { 'x-max-priority': 10, 'x-custom': 'kept' },
      node: expect.stringMatching(/^warren@/),
      state: 'running',
      type: 'classic',
      messages: 0,
      messages_details: { rate: 0 },
      messages_ready: 0,
      messages_ready_details: { rate: 0 },
      messages_unacknowledged: 0,
      messages_unacknowledged_details: { rate: 0 },
      messages_ram: 0,
      messages_ready_ram: 0,
      messages_unacknowledged_ram: 0,
      messages_paged_out: 0,
      consumers: 0,
      consumer_details: [],
      message_bytes: 0,
      message_bytes_ready: 0,
      message_bytes_unacknowledged: 0,
      message_bytes_ram: 0,
      message_bytes_paged_out: 0,
      head_message_timestamp: null,
      exclusive_consumer_tag: null,
      single_active_consumer_tag: null,
      policy: null,
      operator_policy: null,
      effective_policy_definition: {},
      message_stats: {
        publish: 0, publish_details: { rate: 0 }, deliver_get: 0, deliver_get_details: { rate: 0 },
        deliver: 0, deliver_details: { rate: 0 }, deliver_no_ack: 0, deliver_no_ack_details: { rate: 0 },
        get: 0, get_details: { rate: 0 }, get_no_ack: 0, get_no_ack_details: { rate: 0 }, get_empty: 0, get_empty_details: { rate: 0 },
        ack: 0, ack_details: { rate: 0 }, redeliver: 0, redeliver_details: { rate: 0 },
      },
    });
  });

  it('counts ready messages, their bytes and what was published', async () => {
    await api.put('/api/queues/%2F/counted').send({}).expect(201);
    await publish('counted', 'abc');
    await publish('counted', 'defgh');
    const { body } = await api.get('/api/queues/%2F/counted').expect(200);
    expect(body).toMatchObject({ messages: 2, messages_ready: 2, messages_unacknowledged: 0, message_bytes: 8, message_bytes_ready: 8 });
    expect(body.message_stats).toMatchObject({ publish: 2, deliver_get: 0 });
  });

  it('shows consumers, with the exclusive one named', async () => {
    await api.put('/api/queues/%2F/consumed').send({}).expect(201);
    http.app.get(TopologyService).queue('/', 'consumed').addConsumer(idleConsumer('ctag-1', true));
    const { body } = await api.get('/api/queues/%2F/consumed').expect(200);
    expect(body).toMatchObject({ consumers: 1, exclusive_consumer_tag: 'ctag-1' });
    expect(body.consumer_details).toEqual([expect.objectContaining({ consumer_tag: 'ctag-1', exclusive: true, ack_required: true, queue: { name: 'consumed', vhost: '/' } })]);
  });

  it('applies AMQP defaults: transient, not auto-delete, no arguments', async () => {
    await api.put('/api/queues/%2F/plain').expect(201);
    const { body } = await api.get('/api/queues/%2F/plain').expect(200);
    expect(body).toMatchObject({ durable: false, auto_delete: false, exclusive: false, arguments: {} });
  });

  it('accepts exclusive=false and node, and refuses exclusive=true', async () => {
    await api.put('/api/queues/%2F/not-exclusive').send({ exclusive: false, node: 'rabbit@elsewhere' }).expect(201);
    const refused = await api.put('/api/queues/%2F/exclusive').send({ exclusive: true }).expect(400);
    expect(refused.body.reason).toMatch(/exclusive queues belong to an AMQP connection/);
    await api.get('/api/queues/%2F/exclusive').expect(404);
  });

  it('refuses amq.* names with 403', async () => {
    expect((await api.put('/api/queues/%2F/amq.mine').send({}).expect(403)).body.error).toBe('access_refused');
  });

  it('lists queues of every vhost and of one vhost', async () => {
    await api.put('/api/queues/%2F/listed').send({ durable: true }).expect(201);
    const { body: all } = await api.get('/api/queues').expect(200);
    const { body: inRoot } = await api.get('/api/queues/%2F').expect(200);
    for (const list of [all, inRoot]) expect(list).toContainEqual(expect.objectContaining({ name: 'listed', vhost: '/', durable: true, messages: 0 }));
    expect(all[0]).not.toHaveProperty('consumer_details');
  });

  it('deletes with 204', async () => {
    await api.put('/api/queues/%2F/doomed').send({}).expect(201);
    await api.delete('/api/queues/%2F/doomed').expect(204);
    await api.get('/api/queues/%2F/doomed').expect(404);
  });

  it('keeps a queue holding messages when deleting with if-empty=true', async () => {
    await api.put('/api/queues/%2F/full').send({}).expect(201);
    await publish('full', 'm');
    expect((await api.delete('/api/queues/%2F/full?if-empty=true').expect(400)).body.reason).toMatch(/not empty/);
    await api.get('/api/queues/%2F/full').expect(200);
    await api.delete('/api/queues/%2F/full?if-empty=false').expect(204);
    await api.get('/api/queues/%2F/full').expect(404);
  });

  it('keeps a queue with consumers when deleting with if-unused=true', async () => {
    await api.put('/api/queues/%2F/used').send({}).expect(201);
    const consumer = idleConsumer('ctag-used');
    const queue = http.app.get(TopologyService).queue('/', 'used');
    queue.addConsumer(consumer);
    expect((await api.delete('/api/queues/%2F/used?if-unused=true').expect(400)).body.reason).toMatch(/in use/);
    queue.removeConsumer(consumer);
    await api.delete('/api/queues/%2F/used?if-unused=true').expect(204);
  });

  it('purges the ready messages with DELETE …/contents and keeps the queue', async () => {
    await api.put('/api/queues/%2F/purged').send({}).expect(201);
    await publish('purged', 'one');
    await publish('purged', 'two');
    await api.delete('/api/queues/%2F/purged/contents').expect(204);
    const { body } = await api.get('/api/queues/%2F/purged').expect(200);
    expect(body).toMatchObject({ messages: 0, messages_ready: 0, message_bytes: 0 });
    await api.delete('/api/queues/%2F/missing/contents').expect(404);
  });

  it("lists a queue's bindings, the default exchange's first", async () => {
    await api.put('/api/queues/%2F/bound').send({}).expect(201);
    await api.post('/api/bindings/%2F/e/amq.topic/q/bound').send({ routing_key: 'a.*' }).expect(201);
    const { body } = await api.get('/api/queues/%2F/bound/bindings').expect(200);
    expect(body).toEqual([
      { source: '', vhost: '/', destination: 'bound', destination_type: 'queue', routing_key: 'bound', arguments: {}, properties_key: 'bound' },
      { source: 'amq.topic', vhost: '/', destination: 'bound', destination_type: 'queue', routing_key: 'a.*', arguments: {}, properties_key: 'a.*' },
    ]);
    await api.get('/api/queues/%2F/missing/bindings').expect(404);
  });
});
