/**
 * RabbitMQ's metric families (rabbitmq_prometheus' core collector), as far as
 * Warren has the numbers: each family lists its objects with their labels and
 * the metrics read from each. /metrics sums every metric over its objects
 * (no labels), /metrics/per-object and /metrics/detailed keep one series per
 * object. Names, types, help texts and labels are RabbitMQ's, so scrape configs
 * and dashboards work unchanged; channels and connections are labelled with
 * their names where RabbitMQ has Erlang process ids.
 */
import type { ClientRegistry } from '../../broker/clients/client-registry';
import { channelName, ClientChannel, ClientConnection } from '../../broker/clients/live-clients';
import type { MemoryAlarm } from '../../broker/flow/memory-alarm';
import type { Queue } from '../../broker/queue/queue';
import type { Exchange } from '../../broker/topology/exchange';
import type { TopologyService } from '../../broker/topology/topology-service';
import { diskFreeBytes, processResources } from '../../node/node-resources';

export interface MetricSources {
  topology: TopologyService;
  clients: ClientRegistry;
  memory: MemoryAlarm;
  /** Where the embedded PostgreSQL keeps its data; undefined with DATABASE_URL. */
  dataDir?: string;
}

export type Labels = Record<string, string>;

export interface MetricSpec<T> {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  /** undefined: this object has no value for it (the series is left out). */
  value(item: T): number | undefined;
}

export interface MetricObject<T> {
  labels: Labels;
  item: T;
}

export interface Family<T = unknown> {
  name: string;
  /** The labels of its per-object series. */
  labelNames: string[];
  objects(sources: MetricSources, vhosts?: Set<string>): MetricObject<T>[];
  metrics: MetricSpec<T>[];
}

const gauge = <T>(name: string, help: string, value: (item: T) => number | undefined): MetricSpec<T> => ({ name, type: 'gauge', help, value });
const counter = <T>(name: string, help: string, value: (item: T) => number | undefined): MetricSpec<T> => ({ name, type: 'counter', help, value });
const family = <T>(name: string, [labelNames, objects]: Source<T>, metrics: MetricSpec<T>[]): Family =>
  ({ name, labelNames, objects, metrics }) as unknown as Family;

type Source<T> = [string[], Family<T>['objects']];

const inVhosts = (vhost: string, vhosts?: Set<string>) => vhosts === undefined || vhosts.has(vhost);

function queueObjects({ topology }: MetricSources, vhosts?: Set<string>): MetricObject<Queue>[] {
  return topology.vhosts().filter((vhost) => inVhosts(vhost.name, vhosts))
    .flatMap((vhost) => [...vhost.queues.values()].map((queue) => ({ labels: { vhost: vhost.name, queue: queue.name }, item: queue })));
}

function exchangeObjects({ topology }: MetricSources, vhosts?: Set<string>): MetricObject<Exchange>[] {
  return topology.vhosts().filter((vhost) => inVhosts(vhost.name, vhosts))
    .flatMap((vhost) => [...vhost.exchanges.values()].map((exchange) => ({ labels: { vhost: vhost.name, exchange: exchange.name }, item: exchange })));
}

function channelObjects({ clients }: MetricSources, vhosts?: Set<string>): MetricObject<ClientChannel>[] {
  return clients.channels().filter((channel) => inVhosts(channel.connection.vhost, vhosts))
    .map((channel) => ({ labels: { channel: channelName(channel) }, item: channel }));
}

function connectionObjects({ clients }: MetricSources, vhosts?: Set<string>): MetricObject<ClientConnection>[] {
  return clients.connections().filter((connection) => inVhosts(connection.vhost, vhosts))
    .map((connection) => ({ labels: { channel: connection.name }, item: connection }));
}

const queues: Source<Queue> = [['vhost', 'queue'], queueObjects];
const exchanges: Source<Exchange> = [['vhost', 'exchange'], exchangeObjects];
const channels: Source<ClientChannel> = [['channel'], channelObjects];
// RabbitMQ labels connection series `channel` too (with the connection's process id).
const connections: Source<ClientConnection> = [['channel'], connectionObjects];
const node: Source<MetricSources> = [[], (sources) => [{ labels: {}, item: sources }]];

function count(items: Iterable<unknown>): number {
  let n = 0;
  for (const _ of items) n++;
  return n;
}

export const FAMILIES: Family[] = [
  family('connection_churn_metrics', node, [
    counter('connections_opened_total', 'Total number of connections opened', (s) => s.clients.churn.connectionsOpened),
    counter('connections_closed_total', 'Total number of connections closed or terminated', (s) => s.clients.churn.connectionsClosed),
    counter('channels_opened_total', 'Total number of channels opened', (s) => s.clients.churn.channelsOpened),
    counter('channels_closed_total', 'Total number of channels closed', (s) => s.clients.churn.channelsClosed),
  ]),
  family('node_coarse_metrics', node, [
    gauge('process_open_fds', 'Open file descriptors', () => processResources().openFds),
    gauge('process_resident_memory_bytes', 'Memory used in bytes', () => processResources().residentMemoryBytes),
    gauge('disk_space_available_bytes', 'Disk space available in bytes', (s) => (s.dataDir === undefined ? undefined : diskFreeBytes(s.dataDir))),
  ]),
  family('node_metrics', node, [
    gauge('process_max_fds', 'Open file descriptors limit', () => processResources().maxFds),
    gauge('erlang_uptime_seconds', 'Node uptime', () => process.uptime()),
  ]),
  family('queue_coarse_metrics', queues, [
    gauge('queue_messages_ready', 'Messages ready to be delivered to consumers', (q) => q.messageCount),
    gauge('queue_messages_unacked', 'Messages delivered to consumers but not yet acknowledged', (q) => q.unackedCount),
    gauge('queue_messages', 'Sum of ready and unacknowledged messages - total queue depth', (q) => q.messageCount + q.unackedCount),
  ]),
  family('queue_consumer_count', queues, [
    gauge('queue_consumers', 'Consumers on a queue', (q) => q.consumerCount),
  ]),
  family('queue_metrics', queues, [
    gauge('queue_consumers', 'Consumers on a queue', (q) => q.consumerCount),
    gauge('queue_messages_ram', 'Ready and unacknowledged messages stored in memory', (q) => q.messageCount - q.pagedOut.messages + q.unackedCount),
    gauge('queue_messages_ram_bytes', 'Size of ready and unacknowledged messages stored in memory', (q) => q.ready.byteSize - q.pagedOut.bytes + q.unackedByteSize),
    gauge('queue_messages_ready_ram', 'Ready messages stored in memory', (q) => q.messageCount - q.pagedOut.messages),
    gauge('queue_messages_unacked_ram', 'Unacknowledged messages stored in memory', (q) => q.unackedCount),
    gauge('queue_messages_bytes', 'Size in bytes of ready and unacknowledged messages', (q) => q.ready.byteSize + q.unackedByteSize),
    gauge('queue_messages_ready_bytes', 'Size in bytes of ready messages', (q) => q.ready.byteSize),
    gauge('queue_messages_unacked_bytes', 'Size in bytes of all unacknowledged messages', (q) => q.unackedByteSize),
    gauge('queue_messages_paged_out', 'Messages paged out to disk', (q) => q.pagedOut.messages),
    gauge('queue_messages_paged_out_bytes', 'Size in bytes of messages paged out to disk', (q) => q.pagedOut.bytes),
  ]),
  family('channel_metrics', channels, [
    gauge('channel_consumers', 'Consumers on a channel', (c) => count(c.consumers())),
    gauge('channel_messages_unacked', 'Delivered but not yet acknowledged messages', (c) => c.messagesUnacknowledged),
    gauge('channel_messages_unconfirmed', 'Published but not yet confirmed messages', (c) => c.messagesUnconfirmed),
    gauge('channel_messages_uncommitted', 'Messages received in a transaction but not yet committed', (c) => c.messagesUncommitted),
    gauge('channel_acks_uncommitted', 'Message acknowledgements in a transaction not yet committed', (c) => c.acksUncommitted),
    gauge('consumer_prefetch', 'Limit of unacknowledged messages for each consumer', (c) => c.prefetchCount),
    gauge('channel_prefetch', 'Total limit of unacknowledged messages for all consumers on a channel', (c) => c.globalPrefetchCount),
  ]),
  family('channel_exchange_metrics', channels, [
    counter('channel_messages_published_total', 'Total number of messages published into an exchange on a channel', (c) => c.stats.publish),
    counter('channel_messages_confirmed_total', 'Total number of messages published into an exchange and confirmed on the channel', (c) => c.stats.confirm),
    counter('channel_messages_unroutable_returned_total', 'Total number of messages published as mandatory into an exchange and returned to the publisher as unroutable', (c) => c.stats.returnUnroutable),
    counter('channel_messages_unroutable_dropped_total', 'Total number of messages published as non-mandatory into an exchange and dropped as unroutable', (c) => c.stats.dropUnroutable),
  ]),
  family('channel_queue_metrics', channels, [
    counter('channel_get_ack_total', 'Total number of messages fetched with basic.get in manual acknowledgement mode', (c) => c.stats.get),
    counter('channel_get_total', 'Total number of messages fetched with basic.get in automatic acknowledgement mode', (c) => c.stats.getNoAck),
    counter('channel_messages_delivered_ack_total', 'Total number of messages delivered to consumers in manual acknowledgement mode', (c) => c.stats.deliver),
    counter('channel_messages_delivered_total', 'Total number of messages delivered to consumers in automatic acknowledgement mode', (c) => c.stats.deliverNoAck),
    counter('channel_messages_redelivered_total', 'Total number of messages redelivered to consumers', (c) => c.stats.redeliver),
    counter('channel_messages_acked_total', 'Total number of messages acknowledged by consumers', (c) => c.stats.ack),
    counter('channel_get_empty_total', 'Total number of times basic.get operations fetched no message', (c) => c.stats.getEmpty),
  ]),
  family('connection_coarse_metrics', connections, [
    counter('connection_incoming_bytes_total', 'Total number of bytes received on a connection', (c) => c.traffic.recvOct),
    counter('connection_outgoing_bytes_total', 'Total number of bytes sent on a connection', (c) => c.traffic.sendOct),
  ]),
  family('connection_metrics', connections, [
    counter('connection_incoming_packets_total', 'Total number of packets received on a connection', (c) => c.traffic.recvCnt),
    counter('connection_outgoing_packets_total', 'Total number of packets sent on a connection', (c) => c.traffic.sendCnt),
    gauge('connection_pending_packets', 'Number of packets waiting to be sent on a connection', () => 0),
    gauge('connection_channels', 'Channels on a connection', (c) => count(c.channels())),
  ]),
  family('channel_queue_exchange_metrics', queues, [
    counter('queue_messages_published_total', 'Total number of messages published to queues', (q) => q.stats.publish),
  ]),
  family('exchange_metrics', exchanges, [
    counter('exchange_messages_published_total', 'Total number of messages published into an exchange', (x) => x.stats.publishIn),
  ]),
  family('queue_delivery_metrics', queues, [
    counter('queue_get_ack_total', 'Total number of messages fetched from a queue with basic.get in manual acknowledgement mode', (q) => q.stats.get),
    counter('queue_get_total', 'Total number of messages fetched from a queue with basic.get in automatic acknowledgement mode', (q) => q.stats.getNoAck),
    counter('queue_messages_delivered_ack_total', 'Total number of messages delivered from a queue to consumers in manual acknowledgement mode', (q) => q.stats.deliver),
    counter('queue_messages_delivered_total', 'Total number of messages delivered from a queue to consumers in automatic acknowledgement mode', (q) => q.stats.deliverNoAck),
    counter('queue_messages_redelivered_total', 'Total number of messages redelivered from a queue to consumers', (q) => q.stats.redeliver),
    counter('queue_messages_acked_total', 'Total number of messages acknowledged by consumers on a queue', (q) => q.stats.ack),
    counter('queue_get_empty_total', 'Total number of times basic.get operations fetched no message on a queue', (q) => q.stats.getEmpty),
  ]),
];

/** As rabbitmq_prometheus: queue_consumer_count is a subset of queue_metrics and is left out when both apply. */
export function familiesFor(names: Set<string> | undefined): Family[] {
  const chosen = names === undefined ? FAMILIES : FAMILIES.filter((f) => names.has(f.name));
  const hasQueueMetrics = chosen.some((f) => f.name === 'queue_metrics');
  return chosen.filter((f) => !(hasQueueMetrics && f.name === 'queue_consumer_count'));
}
