/**
 * The metrics every endpoint prints besides the families: object totals,
 * RabbitMQ's global counters (rabbit_global_counters, per protocol and queue
 * type; Warren has AMQP 0-9-1 and classic queues only), the memory alarm, and
 * the node's identity, which dashboards join every other series on.
 * RabbitMQ types build_info and identity_info "untyped"; prom-client has no
 * such type, so they are gauges here, which Prometheus reads the same way.
 */
import { NODE_NAME, PRODUCT_NAME, PRODUCT_VERSION, RABBITMQ_COMPATIBLE_VERSION } from '../presenters/node';
import type { Labels, MetricSources } from './metric-families';

export interface Sample {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  series: { labels: Labels; value: number }[];
}

const PROTOCOL = { protocol: 'amqp091' };
const CLASSIC = { protocol: 'amqp091', queue_type: 'rabbit_classic_queue' };

const single = (name: string, type: Sample['type'], help: string, value: number, labels: Labels = {}): Sample => ({
  name, type, help, series: [{ labels, value }],
});

export function totals({ topology, clients }: MetricSources): Sample[] {
  const vhosts = topology.vhosts();
  const queues = vhosts.reduce((sum, vhost) => sum + vhost.queues.size, 0);
  const consumers = vhosts.reduce((sum, vhost) => sum + [...vhost.queues.values()].reduce((n, q) => n + q.consumerCount, 0), 0);
  return [
    single('rabbitmq_connections', 'gauge', 'Connections currently open', clients.connectionCount),
    single('rabbitmq_channels', 'gauge', 'Channels currently open', clients.channels().length),
    single('rabbitmq_consumers', 'gauge', 'Consumers currently connected', consumers),
    single('rabbitmq_queues', 'gauge', 'Queues available', queues),
  ];
}

export function globalCounters({ clients }: MetricSources): Sample[] {
  const all = clients.totals();
  const publishers = clients.channels().filter((channel) => channel.stats.publish > 0).length;
  const consumers = clients.consumers().length;
  const g = (name: string, help: string, value: number, labels: Labels, type: Sample['type'] = 'counter') =>
    single(`rabbitmq_global_${name}`, type, help, value, labels);
  return [
    g('messages_received_total', 'Total number of messages received from publishers', all.publish, PROTOCOL),
    g('messages_received_confirm_total', 'Total number of messages received from publishers expecting confirmations', all.publishConfirm, PROTOCOL),
    g('messages_routed_total', 'Total number of messages routed to queues or streams', all.routed, PROTOCOL),
    g('messages_unroutable_dropped_total', 'Total number of messages published as non-mandatory into an exchange and dropped as unroutable', all.dropUnroutable, PROTOCOL),
    g('messages_unroutable_returned_total', 'Total number of messages published as mandatory into an exchange and returned to the publisher as unroutable', all.returnUnroutable, PROTOCOL),
    g('messages_confirmed_total', 'Total number of messages confirmed to publishers', all.confirm, PROTOCOL),
    g('messages_delivered_total', 'Total number of messages delivered to consumers', all.deliver + all.deliverNoAck + all.get + all.getNoAck, CLASSIC),
    g('messages_delivered_consume_manual_ack_total', 'Total number of messages delivered to consumers using basic.consume with manual acknowledgment', all.deliver, CLASSIC),
    g('messages_delivered_consume_auto_ack_total', 'Total number of messages delivered to consumers using basic.consume with automatic acknowledgment', all.deliverNoAck, CLASSIC),
    g('messages_delivered_get_manual_ack_total', 'Total number of messages delivered to consumers using basic.get with manual acknowledgment', all.get, CLASSIC),
    g('messages_delivered_get_auto_ack_total', 'Total number of messages delivered to consumers using basic.get with automatic acknowledgment', all.getNoAck, CLASSIC),
    g('messages_get_empty_total', 'Total number of times basic.get operations fetched no message', all.getEmpty, CLASSIC),
    g('messages_redelivered_total', 'Total number of messages redelivered to consumers', all.redeliver, CLASSIC),
    g('messages_acknowledged_total', 'Total number of messages acknowledged by consumers', all.ack, CLASSIC),
    g('publishers', 'Current number of publishers', publishers, PROTOCOL, 'gauge'),
    g('consumers', 'Current number of consumers', consumers, PROTOCOL, 'gauge'),
  ];
}

export function alarms({ memory }: MetricSources): Sample[] {
  return [
    single('rabbitmq_alarms_memory_used_watermark', 'gauge', 'is 1 if VM memory watermark alarm is in effect', memory.isRaised ? 1 : 0),
  ];
}

/** Dashboards join on rabbitmq_identity_info; `endpoint` is which of the three answered. */
export function identity(endpoint: string): Sample[] {
  return [
    single('rabbitmq_build_info', 'gauge', 'RabbitMQ & Erlang/OTP version info', 1, {
      rabbitmq_version: RABBITMQ_COMPATIBLE_VERSION, product_name: PRODUCT_NAME, product_version: PRODUCT_VERSION,
      prometheus_plugin_version: PRODUCT_VERSION, prometheus_client_version: 'prom-client', erlang_version: 'none',
    }),
    single('rabbitmq_identity_info', 'gauge', 'RabbitMQ node & cluster identity info', 1, {
      rabbitmq_node: NODE_NAME, rabbitmq_cluster: NODE_NAME, rabbitmq_cluster_permanent_id: `warren-cluster-id-${NODE_NAME}`,
      rabbitmq_endpoint: endpoint,
    }),
  ];
}
