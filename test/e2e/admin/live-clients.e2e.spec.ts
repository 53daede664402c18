/**
 * The admin API of live clients, over real amqplib connections: connections,
 * channels and consumers with RabbitMQ's fields, per vhost too, a forced close
 * with X-Reason, and true object totals in /api/overview.
 */
import { useClients, waitFor } from '../amqp/support/clients';
import { useWarren } from '../../support/warren-app';
import { adminApi, encoded, localPortOf, nameOf } from './support/admin-api';

jest.setTimeout(60000);

describe('admin API: live clients', () => {
  const warren = useWarren();
  const clients = useClients(warren);
  const api = adminApi(warren);

  it('lists an open connection with RabbitMQ\'s fields, and reads it by name', async () => {
    const before = Date.now();
    const connection = await clients.amqplib({ heartbeat: 30 }, { clientProperties: { connection_name: 'orders-service' } });
    await connection.createChannel();
    const name = nameOf(connection, warren);
    const { body: list } = await api.get('/api/connections').expect(200);
    const listed = list.find((c: { name: string }) => c.name === name);
    expect(listed).toMatchObject({
      name,
      node: expect.stringMatching(/^warren@/),
      type: 'network',
      user: 'guest',
      vhost: '/',
      protocol: 'AMQP 0-9-1',
      auth_mechanism: 'PLAIN',
      host: '127.0.0.1',
      port: warren.amqpPort,
      peer_host: '127.0.0.1',
      peer_port: localPortOf(connection),
      ssl: false,
      state: 'running',
      channels: 1,
      channel_max: 2047,
      frame_max: 131072,
      timeout: 30,
      user_provided_name: 'orders-service',
      client_properties: expect.objectContaining({
        product: 'amqplib', connection_name: 'orders-service', capabilities: expect.objectContaining({ publisher_confirms: true }),
      }),
    });
    expect(listed.connected_at).toBeGreaterThanOrEqual(before - 1000);
    expect(listed.connected_at).toBeLessThanOrEqual(Date.now());
    expect(listed.recv_oct).toBeGreaterThan(0);
    expect(listed.send_oct).toBeGreaterThan(0);
    expect(listed.recv_cnt).toBeGreaterThan(0);
    expect(listed.send_cnt).toBeGreaterThan(0);
    expect(listed.recv_oct_details).toEqual({ rate: expect.any(Number) });

    const { body: one } = await api.get(`/api/connections/${encoded(name)}`).expect(200);
    expect(one).toMatchObject({ name, user_provided_name: 'orders-service', channels: 1 });
    await api.get(`/api/connections/${encoded('10.0.0.1:1 -> 10.0.0.2:5672')}`).expect(404);
  });

  it('lists connections per vhost, and 404s for a vhost that does not exist', async () => {
    const connection = await clients.amqplib();
    const { body } = await api.get('/api/vhosts/%2F/connections').expect(200);
    expect(body.map((c: { name: string }) => c.name)).toContain(nameOf(connection, warren));
    await api.get('/api/vhosts/no-such-vhost/connections').expect(404);
    await api.get('/api/vhosts/no-such-vhost/channels').expect(404);
    await api.get('/api/consumers/no-such-vhost').expect(404);
  });

  it('lists channels with number, name, connection details, prefetch, confirm and transaction state', async () => {
    const connection = await clients.amqplib();
    const name = nameOf(connection, warren);
    const confirms = await connection.createConfirmChannel();
    await confirms.prefetch(7, false);
    await confirms.prefetch(11, true);
    await connection.createChannel();

    const { body: channels } = await api.get(`/api/connections/${encoded(name)}/channels`).expect(200);
    expect(channels.map((c: { number: number }) => c.number)).toEqual([1, 2]);
    const [first, second] = channels;
    expect(first).toMatchObject({
      name: `${name} (1)`, number: 1, user: 'guest', vhost: '/', state: 'running',
      connection_details: { name, peer_host: '127.0.0.1', peer_port: localPortOf(connection) },
      prefetch_count: 7, global_prefetch_count: 11, confirm: true, transactional: false,
      consumer_count: 0, messages_unacknowledged: 0, messages_unconfirmed: 0, messages_uncommitted: 0, acks_uncommitted: 0,
    });
    expect(first.message_stats).toMatchObject({ publish: 0, publish_details: { rate: 0 }, confirm: 0, deliver_get: 0 });
    expect(second).toMatchObject({ name: `${name} (2)`, confirm: false });

    const { body: one } = await api.get(`/api/channels/${encoded(`${name} (1)`)}`).expect(200);
    expect(one).toMatchObject({ number: 1, prefetch_count: 7 });
    const { body: all } = await api.get('/api/channels').expect(200);
    expect(all.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining([`${name} (1)`, `${name} (2)`]));
    const { body: inVhost } = await api.get('/api/vhosts/%2F/channels').expect(200);
    expect(inVhost.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining([`${name} (1)`]));
    await api.get(`/api/channels/${encoded(`${name} (9)`)}`).expect(404);
  });

  it('counts a transaction\'s uncommitted publishes and acks on its channel', async () => {
    const raw = await clients.raw();
    raw.send(1, 'queue.declare', { queue: 'channels.tx-counts' });
    await raw.expectMethod(1, 'queue.declare-ok');
    raw.publish(1, { exchange: '', routingKey: 'channels.tx-counts' }, Buffer.from('before'));
    raw.send(1, 'basic.get', { queue: 'channels.tx-counts' });
    const got = await raw.expectMethod(1, 'basic.get-ok');
    await raw.nextFrame(); // content header
    await raw.nextFrame(); // content body
    raw.send(1, 'tx.select', {});
    await raw.expectMethod(1, 'tx.select-ok');
    raw.publish(1, { exchange: '', routingKey: 'channels.tx-counts' }, Buffer.from('in tx 1'));
    raw.publish(1, { exchange: '', routingKey: 'channels.tx-counts' }, Buffer.from('in tx 2'));
    raw.send(1, 'basic.ack', { deliveryTag: got.deliveryTag });
    await raw.sync();
    const name = `127.0.0.1:${raw.socket.localPort} -> 127.0.0.1:${warren.amqpPort} (1)`;
    const { body } = await api.get(`/api/channels/${encoded(name)}`).expect(200);
    expect(body).toMatchObject({ transactional: true, confirm: false, messages_uncommitted: 2, acks_uncommitted: 1, messages_unacknowledged: 0 });
  });

  it('lists consumers with their queue, channel, ack mode, prefetch and arguments, in all vhosts and in one', async () => {
    const connection = await clients.amqplib();
    const name = nameOf(connection, warren);
    const channel = await connection.createChannel();
    await channel.assertQueue('consumers.listed');
    await channel.prefetch(5);
    await channel.consume('consumers.listed', () => undefined, { consumerTag: 'listed-tag', arguments: { 'x-priority': 2 } });
    await channel.consume('consumers.listed', () => undefined, { consumerTag: 'no-ack-tag', noAck: true });
    const expected = {
      consumer_tag: 'listed-tag',
      queue: { name: 'consumers.listed', vhost: '/' },
      channel_details: {
        name: `${name} (1)`, number: 1, user: 'guest', connection_name: name, peer_host: '127.0.0.1', peer_port: localPortOf(connection),
        node: expect.stringMatching(/^warren@/),
      },
      ack_required: true, exclusive: false, prefetch_count: 5, active: true, activity_status: 'up', arguments: { 'x-priority': 2 },
    };
    for (const path of ['/api/consumers', '/api/consumers/%2F']) {
      const { body } = await api.get(path).expect(200);
      expect(body).toContainEqual(expected);
      expect(body).toContainEqual(expect.objectContaining({ consumer_tag: 'no-ack-tag', ack_required: false }));
    }
    const { body: queue } = await api.get('/api/queues/%2F/consumers.listed').expect(200);
    expect(queue.consumers).toBe(2);
    expect(queue.consumer_details).toContainEqual(expected);
  });

  it('shows which connection owns an exclusive queue', async () => {
    const connection = await clients.amqplib();
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    const { body } = await api.get(`/api/queues/%2F/${encoded(queue)}`).expect(200);
    expect(body.owner_pid_details).toEqual({ name: nameOf(connection, warren), peer_host: '127.0.0.1', peer_port: localPortOf(connection) });
  });

  it('closes a connection on DELETE with the X-Reason the client then sees, as 320 CONNECTION_FORCED', async () => {
    const connection = await clients.amqplib();
    const name = nameOf(connection, warren);
    const closed = new Promise<Error>((done) => connection.once('close', done));
    await api.delete(`/api/connections/${encoded(name)}`).set('X-Reason', 'maintenance window').expect(204);
    const error = (await closed) as Error & { code?: number };
    expect(error.code).toBe(320);
    expect(error.message).toContain('"CONNECTION_FORCED - maintenance window"');
    await waitFor(async () => (await api.get(`/api/connections/${encoded(name)}`)).status === 404, 'connection gone from the list');
  });

  it('closes with RabbitMQ\'s default reason when there is no X-Reason, and 404s for an unknown connection', async () => {
    const connection = await clients.amqplib();
    const closed = new Promise<Error>((done) => connection.once('close', done));
    await api.delete(`/api/connections/${encoded(nameOf(connection, warren))}`).expect(204);
    expect((await closed).message).toContain('"CONNECTION_FORCED - Closed via management plugin"');
    const missing = await api.delete(`/api/connections/${encoded('10.0.0.1:1 -> 10.0.0.2:5672')}`).expect(404);
    expect(missing.body).toEqual({ error: 'not_found', reason: expect.stringContaining('no connection') });
  });

  it('counts connections, channels and consumers in /api/overview, and forgets closed ones', async () => {
    const baseline = (await api.get('/api/overview').expect(200)).body.object_totals;
    const connection = await clients.amqplib();
    const channel = await connection.createChannel();
    await connection.createChannel();
    await channel.assertQueue('overview.counted');
    await channel.consume('overview.counted', () => undefined);
    const { body } = await api.get('/api/overview').expect(200);
    expect(body.object_totals).toMatchObject({
      connections: baseline.connections + 1, channels: baseline.channels + 2, consumers: baseline.consumers + 1,
    });
    expect(body.listeners).toEqual(expect.arrayContaining([
      expect.objectContaining({ protocol: 'amqp', port: warren.amqpPort }),
      expect.objectContaining({ protocol: 'http', port: warren.httpPort }),
    ]));
    await connection.close();
    await waitFor(async () => (await api.get('/api/overview')).body.object_totals.connections === baseline.connections, 'connection forgotten');
    expect((await api.get('/api/overview')).body.object_totals).toMatchObject({ channels: baseline.channels, consumers: baseline.consumers });
  });

  it('describes the node at /api/nodes and /api/nodes/{name}', async () => {
    const connection = await clients.amqplib();
    const { body: nodes } = await api.get('/api/nodes').expect(200);
    expect(nodes).toHaveLength(1);
    const [node] = nodes;
    expect(node).toMatchObject({
      name: expect.stringMatching(/^warren@/), type: 'disc', running: true, rates_mode: 'basic', mem_alarm: false, disk_free_alarm: false,
      os_pid: String(process.pid), partitions: [],
    });
    expect(node.uptime).toBeGreaterThan(0);
    expect(node.mem_used).toBeGreaterThan(10 * 1024 * 1024);
    expect(node.mem_limit).toBeGreaterThan(0);
    expect(node.sockets_used).toBeGreaterThanOrEqual(1);
    expect(node.processors).toBeGreaterThanOrEqual(1);
    if (process.platform === 'linux') expect(node.fd_used).toBeGreaterThan(0);
    const { body: one } = await api.get(`/api/nodes/${encoded(node.name)}`).expect(200);
    expect(one.name).toBe(node.name);
    await api.get('/api/nodes/rabbit%40elsewhere').expect(404);
    await connection.close();
  });
});
