/**
 * message_stats over real amqplib traffic: exact counts on queues, exchanges,
 * channels, the vhost and the overview (closed channels included), and rates
 * sampled every STATS_INTERVAL_MS (200 ms here) that rise with traffic and fall
 * back to 0 when it stops.
 */
import { consumeInto, useClients, waitFor } from '../amqp/support/clients';
import { useWarren } from '../../support/warren-app';
import { adminApi, encoded, nameOf } from './support/admin-api';

jest.setTimeout(60000);

type Stats = Record<string, number | { rate: number }>;

describe('admin API: message_stats and rates', () => {
  const warren = useWarren({ STATS_INTERVAL_MS: '200' });
  const clients = useClients(warren);
  const api = adminApi(warren);
  const statsOf = async (path: string): Promise<Stats> => (await api.get(path).expect(200)).body.message_stats;

  it('counts publishes, deliveries, gets, acks and redeliveries on the queue, the channels, the vhost and the overview', async () => {
    const connection = await clients.amqplib();
    const name = nameOf(connection, warren);
    const publisher = await connection.createConfirmChannel();
    await publisher.assertQueue('stats.q');
    await publisher.assertExchange('stats.fanout', 'fanout');
    await publisher.assertQueue('stats.f1');
    await publisher.assertQueue('stats.f2');
    await publisher.bindQueue('stats.f1', 'stats.fanout', '');
    await publisher.bindQueue('stats.f2', 'stats.fanout', '');
    for (let i = 0; i < 20; i++) publisher.sendToQueue('stats.q', Buffer.from(`m${i}`));
    for (let i = 0; i < 3; i++) publisher.publish('stats.fanout', '', Buffer.from('f'));
    publisher.publish('', 'stats.nowhere', Buffer.from('dropped'));
    publisher.publish('', 'stats.nowhere', Buffer.from('returned'), { mandatory: true });
    await publisher.waitForConfirms();
    const vhostBefore = await statsOf('/api/vhosts/%2F');
    const overviewBefore = await statsOf('/api/overview');

    const consumerChannel = await connection.createChannel();
    await consumerChannel.prefetch(10);
    const { inbox, consumerTag } = await consumeInto(consumerChannel, 'stats.q');
    const delivered = await inbox.waitFor(10);
    // The prefetch window is full: the nacked message, requeued at the head, is the only one to go out again.
    consumerChannel.nack(delivered[9], false, true);
    const [redelivered] = (await inbox.waitFor(11, 'the redelivery')).slice(10);
    expect(redelivered.fields.redelivered).toBe(true);
    await consumerChannel.cancel(consumerTag);
    for (const m of [...delivered.slice(0, 9), redelivered]) consumerChannel.ack(m);
    const getter = await connection.createChannel();
    const got = await getter.get('stats.q');
    if (got) getter.ack(got);
    await getter.get('stats.q', { noAck: true });
    await getter.get('stats.f1', { noAck: true });
    await getter.purgeQueue('stats.f2');
    await getter.get('stats.f2', { noAck: true });

    const queue = await statsOf('/api/queues/%2F/stats.q');
    expect(queue).toMatchObject({
      publish: 20, deliver: 11, deliver_no_ack: 0, get: 1, get_no_ack: 1, get_empty: 0, redeliver: 1, ack: 11, deliver_get: 13,
    });
    expect(await statsOf('/api/queues/%2F/stats.f2')).toMatchObject({ publish: 3, get_empty: 1 });
    expect(await statsOf('/api/exchanges/%2F/stats.fanout')).toMatchObject({ publish_in: 3, publish_out: 6 });
    expect(await statsOf('/api/exchanges/%2F/amq.default')).toMatchObject({ publish_in: 22, publish_out: 20 });
    expect(await statsOf(`/api/channels/${encoded(`${name} (1)`)}`)).toMatchObject({
      publish: 25, confirm: 25, return_unroutable: 1, drop_unroutable: 1, deliver_get: 0,
    });
    expect(await statsOf(`/api/channels/${encoded(`${name} (2)`)}`)).toMatchObject({ deliver: 11, redeliver: 1, ack: 10, deliver_get: 11 });
    expect(await statsOf(`/api/channels/${encoded(`${name} (3)`)}`)).toMatchObject({
      get: 1, get_no_ack: 2, get_empty: 1, ack: 1, deliver_get: 3,
    });

    const expectedGrowth = { publish: 0, deliver: 11, get: 1, get_no_ack: 2, get_empty: 1, redeliver: 1, ack: 11, deliver_get: 14 };
    for (const [path, before] of [['/api/vhosts/%2F', vhostBefore], ['/api/overview', overviewBefore]] as const) {
      const after = await statsOf(path);
      for (const [key, growth] of Object.entries(expectedGrowth)) expect([key, (after[key] as number) - (before[key] as number)]).toEqual([key, growth]);
    }

    // Closed channels still count in the vhost and the node.
    const vhostOpen = await statsOf('/api/vhosts/%2F');
    await connection.close();
    await waitFor(async () => (await api.get('/api/overview')).body.object_totals.connections === 0, 'the connection gone');
    const vhostClosed = await statsOf('/api/vhosts/%2F');
    for (const key of ['publish', 'confirm', 'deliver', 'ack', 'deliver_get']) expect([key, vhostClosed[key]]).toEqual([key, vhostOpen[key]]);
  });

  it('shows rates while messages flow and 0 once they stop, with idle_since', async () => {
    const connection = await clients.amqplib();
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue('stats.rates');
    const rateOf = async (path: string, field: string) => ((await statsOf(path))[`${field}_details`] as { rate: number }).rate;
    let flowing = true;
    const publishing = (async () => {
      while (flowing) {
        for (let i = 0; i < 20; i++) channel.sendToQueue('stats.rates', Buffer.from('r'));
        await channel.waitForConfirms();
        await new Promise((done) => setTimeout(done, 20));
      }
    })();
    try {
      await waitFor(async () => (await rateOf('/api/queues/%2F/stats.rates', 'publish')) > 0, 'a queue publish rate');
      await waitFor(async () => (await rateOf('/api/exchanges/%2F/amq.default', 'publish_in')) > 0, 'an exchange rate');
      await waitFor(async () => (await rateOf(`/api/channels/${encoded(`${nameOf(connection, warren)} (1)`)}`, 'publish')) > 0, 'a channel rate');
      await waitFor(async () => (await rateOf('/api/vhosts/%2F', 'confirm')) > 0, 'a vhost rate');
      await waitFor(async () => (await rateOf('/api/overview', 'publish')) > 0, 'an overview rate');
      await waitFor(async () => (await api.get('/api/overview')).body.queue_totals.messages_details.rate > 0, 'a queue_totals rate');
      const { body } = await api.get('/api/queues/%2F/stats.rates').expect(200);
      expect(body.messages_details.rate).toBeGreaterThan(0);
      expect(body.idle_since).toBeUndefined();
    } finally {
      flowing = false;
      await publishing;
    }
    await waitFor(async () => (await rateOf('/api/queues/%2F/stats.rates', 'publish')) === 0, 'the rate back to 0');
    const { body } = await api.get('/api/queues/%2F/stats.rates').expect(200);
    expect(body.messages_details.rate).toBe(0);
    expect(Date.parse(body.idle_since)).toBeLessThanOrEqual(Date.now());
    expect(body.idle_since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
  });
});
