/**
 * The Prometheus endpoints read by a Prometheus text-format parser (the npm
 * package parse-prometheus-text-format): RabbitMQ's metric names, types and
 * labels with the values the broker holds, Warren's own metrics under warren_,
 * and /metrics/detailed's family and vhost filters.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { consumeInto, useClients, waitFor } from '../amqp/support/clients';
import { useWarren } from '../../support/warren-app';
import { nameOf } from './support/admin-api';

jest.setTimeout(60000);

interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }[];
}

describe('Prometheus metrics', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  const scrape = async (path: string): Promise<{ status: number; type: string | null; families: Map<string, ParsedFamily> }> => {
    const response = await fetch(`http://127.0.0.1:${warren.prometheusPort}${path}`);
    const text = await response.text();
    const families = new Map<string, ParsedFamily>();
    if (response.ok) for (const family of parsePrometheusTextFormat(text) as ParsedFamily[]) families.set(family.name, family);
    return { status: response.status, type: response.headers.get('content-type'), families };
  };
  const valueOf = (families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined => {
    const series = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    return series?.value === undefined ? undefined : Number(series.value);
  };

  it('serves /metrics, aggregated, with RabbitMQ\'s names, types and values', async () => {
    const connection = await clients.amqplib();
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue('prom.a', { durable: true });
    await channel.assertQueue('prom "b"');
    for (let i = 0; i < 3; i++) channel.sendToQueue('prom.a', Buffer.from('persistent'), { persistent: true });
    for (let i = 0; i < 2; i++) channel.sendToQueue('prom "b"', Buffer.from('transient'));
    channel.sendToQueue('prom.nowhere', Buffer.from('unroutable'));
    await channel.waitForConfirms();
    const consumer = await connection.createChannel();
    await consumer.prefetch(1);
    const { inbox } = await consumeInto(consumer, 'prom "b"');
    await inbox.waitFor(1);

    const { status, type, families } = await scrape('/metrics');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(valueOf(families, 'rabbitmq_queue_messages_ready')).toBe(4);
    expect(valueOf(families, 'rabbitmq_queue_messages_unacked')).toBe(1);
    expect(valueOf(families, 'rabbitmq_queue_messages')).toBe(5);
    expect(valueOf(families, 'rabbitmq_queue_consumers')).toBe(1);
    expect(valueOf(families, 'rabbitmq_connections')).toBe(1);
    expect(valueOf(families, 'rabbitmq_channels')).toBe(2);
    expect(valueOf(families, 'rabbitmq_consumers')).toBe(1);
    expect(valueOf(families, 'rabbitmq_queues')).toBe(2);
    expect(valueOf(families, 'rabbitmq_global_messages_received_total', { protocol: 'amqp091' })).toBe(6);
    expect(valueOf(families, 'rabbitmq_global_messages_received_confirm_total', { protocol: 'amqp091' })).toBe(6);
    expect(valueOf(families, 'rabbitmq_global_messages_confirmed_total', { protocol: 'amqp091' })).toBe(6);
    expect(valueOf(families, 'rabbitmq_global_messages_routed_total', { protocol: 'amqp091' })).toBe(5);
    expect(valueOf(families, 'rabbitmq_global_messages_unroutable_dropped_total', { protocol: 'amqp091' })).toBe(1);
    expect(valueOf(families, 'rabbitmq_global_messages_delivered_consume_manual_ack_total', { queue_type: 'rabbit_classic_queue' })).toBe(1);
    expect(valueOf(families, 'rabbitmq_global_consumers', { protocol: 'amqp091' })).toBe(1);
    expect(valueOf(families, 'rabbitmq_channel_messages_published_total')).toBe(6);
    expect(valueOf(families, 'rabbitmq_connection_channels')).toBe(2);
    expect(valueOf(families, 'rabbitmq_connections_opened_total')).toBeGreaterThanOrEqual(1);
    expect(valueOf(families, 'rabbitmq_connection_incoming_bytes_total')).toBeGreaterThan(0);
    expect(valueOf(families, 'rabbitmq_process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(valueOf(families, 'rabbitmq_alarms_memory_used_watermark')).toBe(0);
    expect(families.get('rabbitmq_queue_messages_ready')).toMatchObject({ type: 'GAUGE', help: 'Messages ready to be delivered to consumers' });
    expect(families.get('rabbitmq_global_messages_received_total')).toMatchObject({ type: 'COUNTER', help: 'Total number of messages received from publishers' });
    expect(families.get('rabbitmq_queue_messages_ready')!.metrics).toHaveLength(1);
    expect(families.get('rabbitmq_identity_info')!.metrics[0].labels).toMatchObject({
      rabbitmq_node: expect.stringMatching(/^warren@/), rabbitmq_cluster: expect.any(String), rabbitmq_endpoint: 'aggregated',
    });
  });

  it('reports Warren\'s own metrics: group commits of the message store, the PostgreSQL pool, the memory alarm', async () => {
    const connection = await clients.amqplib();
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue('prom.durable', { durable: true });
    for (let i = 0; i < 10; i++) channel.sendToQueue('prom.durable', Buffer.from('p'), { persistent: true });
    await channel.waitForConfirms();
    const { families } = await scrape('/metrics');
    const commits = families.get('warren_message_store_commit_seconds')!;
    expect(commits.type).toBe('HISTOGRAM');
    expect(Number(commits.metrics[0].count)).toBeGreaterThanOrEqual(1);
    const batches = families.get('warren_message_store_batch_messages')!;
    expect(Number(batches.metrics[0].sum)).toBeGreaterThanOrEqual(10);
    expect(valueOf(families, 'warren_postgres_pool_connections')).toBeGreaterThanOrEqual(2);
    expect(valueOf(families, 'warren_postgres_pool_idle_connections')).toBeGreaterThanOrEqual(0);
    expect(valueOf(families, 'warren_postgres_pool_waiting_requests')).toBe(0);
    expect(valueOf(families, 'warren_memory_alarm')).toBe(0);
    expect(valueOf(families, 'warren_memory_alarm_used_bytes')).toBeGreaterThan(0);
    expect(valueOf(families, 'warren_memory_alarm_limit_bytes')).toBe(512 * 1024 * 1024);
    expect(valueOf(families, 'warren_process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('serves /metrics/per-object with one series per queue, channel and connection, labelled as RabbitMQ labels them', async () => {
    const connection = await clients.amqplib();
    const channel = await connection.createChannel();
    await channel.assertQueue('prom.per-object');
    channel.sendToQueue('prom.per-object', Buffer.from('one'));
    await waitFor(async () => valueOf((await scrape('/metrics/per-object')).families, 'rabbitmq_queue_messages_ready', { queue: 'prom.per-object' }) === 1);
    const { families } = await scrape('/metrics/per-object');
    // The first test's consumer left with one unacked message: back to ready, so both are.
    expect(valueOf(families, 'rabbitmq_queue_messages_ready', { vhost: '/', queue: 'prom "b"' })).toBe(2);
    const name = nameOf(connection, warren);
    expect(valueOf(families, 'rabbitmq_channel_messages_published_total', { channel: `${name} (1)` })).toBe(1);
    expect(valueOf(families, 'rabbitmq_connection_channels', { channel: name })).toBe(1);
    expect(valueOf(families, 'rabbitmq_exchange_messages_published_total', { vhost: '/', exchange: '' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(families, 'rabbitmq_queues')).toBe(4);
    expect(families.get('rabbitmq_identity_info')!.metrics[0].labels!.rabbitmq_endpoint).toBe('per-object');
  });

  it('serves /metrics/detailed with only the families asked for, in the vhosts asked for', async () => {
    const { families } = await scrape('/metrics/detailed?family=queue_coarse_metrics&family=queue_consumer_count&vhost=%2F');
    const names = [...families.keys()].sort();
    expect(names).toEqual([
      'rabbitmq_build_info', 'rabbitmq_detailed_queue_consumers', 'rabbitmq_detailed_queue_messages',
      'rabbitmq_detailed_queue_messages_ready', 'rabbitmq_detailed_queue_messages_unacked', 'rabbitmq_identity_info',
    ]);
    expect(valueOf(families, 'rabbitmq_detailed_queue_messages_ready', { vhost: '/', queue: 'prom.a' })).toBe(3);
    const { families: otherVhost } = await scrape('/metrics/detailed?family=queue_coarse_metrics&vhost=elsewhere');
    expect(otherVhost.get('rabbitmq_detailed_queue_messages_ready')?.metrics ?? []).toEqual([]);
    const { families: none } = await scrape('/metrics/detailed');
    expect([...none.keys()].sort()).toEqual(['rabbitmq_build_info', 'rabbitmq_identity_info']);
  });

  it('answers 404 elsewhere', async () => {
    expect((await scrape('/api/overview')).status).toBe(404);
  });
});
