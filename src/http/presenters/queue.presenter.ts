/**
 * A queue as RabbitMQ's management API lists it: its settings, its depth and
 * bytes (in memory and paged out to the store), its message_stats with rates,
 * and for one queue in detail, its consumers. Fields Warren cannot know
 * (Erlang process memory, reductions) are left out rather than made up.
 */
import type { ClientRegistry } from '../../broker/clients/client-registry';
import type { ClientConsumer } from '../../broker/clients/live-clients';
import type { Consumer } from '../../broker/queue/consumer';
import type { Queue } from '../../broker/queue/queue';
import type { Statistics } from '../../broker/stats/statistics';
import { presentConsumer, ConsumerView } from './consumer.presenter';
import { JsonValue, toJsonTable } from './json-value';
import { isoTime, queueMessageStats, Rate, rateOf } from './message-stats';
import { NODE_NAME } from './node';

export interface QueueView {
  name: string;
  vhost: string;
  durable: boolean;
  auto_delete: boolean;
  exclusive: boolean;
  arguments: { [key: string]: JsonValue };
  node: string;
  state: 'running';
  type: 'classic';
  messages: number;
  messages_details: Rate;
  messages_ready: number;
  messages_ready_details: Rate;
  messages_unacknowledged: number;
  messages_unacknowledged_details: Rate;
  messages_ram: number;
  messages_ready_ram: number;
  messages_unacknowledged_ram: number;
  messages_paged_out: number;
  consumers: number;
  message_bytes: number;
  message_bytes_ready: number;
  message_bytes_unacknowledged: number;
  message_bytes_ram: number;
  message_bytes_paged_out: number;
  head_message_timestamp: number | null;
  idle_since?: string;
  exclusive_consumer_tag: string | null;
  single_active_consumer_tag: null;
  owner_pid_details?: { name: string; peer_host: string; peer_port: number };
  policy: null;
  operator_policy: null;
  effective_policy_definition: Record<string, never>;
  message_stats: ReturnType<typeof queueMessageStats>;
}

const NO_POLICY: Record<string, never> = Object.freeze({}) as Record<string, never>;

/** The fields of a queue's view that need no counting: lists sort and filter on these without presenting every queue. */
export function queueBasics(queue: Queue) {
  return {
    name: queue.name, vhost: queue.vhost, durable: queue.settings.durable, auto_delete: queue.settings.autoDelete,
    exclusive: queue.settings.exclusive, arguments: queue.settings.arguments, node: NODE_NAME, state: 'running', type: 'classic',
  };
}

export interface QueuePresentation {
  statistics: Statistics;
  clients: ClientRegistry;
}

export function presentQueue(queue: Queue, { statistics, clients }: QueuePresentation): QueueView {
  const ready = queue.messageCount;
  const unacked = queue.unackedCount;
  const readyBytes = queue.ready.byteSize;
  const unackedBytes = queue.unackedByteSize;
  const pagedOut = queue.pagedOut;
  const rates = statistics.queue(queue);
  const view: QueueView = {
    name: queue.name,
    vhost: queue.vhost,
    durable: queue.settings.durable,
    auto_delete: queue.settings.autoDelete,
    exclusive: queue.settings.exclusive,
    arguments: toJsonTable(queue.settings.arguments),
    node: NODE_NAME,
    state: 'running',
    type: 'classic',
    messages: ready + unacked,
    messages_details: rateOf(rates.rate('messages')),
    messages_ready: ready,
    messages_ready_details: rateOf(rates.rate('messagesReady')),
    messages_unacknowledged: unacked,
    messages_unacknowledged_details: rateOf(rates.rate('messagesUnacknowledged')),
    messages_ram: ready - pagedOut.messages + unacked,
    messages_ready_ram: ready - pagedOut.messages,
    messages_unacknowledged_ram: unacked,
    messages_paged_out: pagedOut.messages,
    consumers: queue.consumerCount,
    message_bytes: readyBytes + unackedBytes,
    message_bytes_ready: readyBytes,
    message_bytes_unacknowledged: unackedBytes,
    message_bytes_ram: readyBytes - pagedOut.bytes + unackedBytes,
    message_bytes_paged_out: pagedOut.bytes,
    head_message_timestamp: queue.ready.peek()?.message?.properties.timestamp ?? null,
    exclusive_consumer_tag: queue.consumers.find((consumer) => consumer.exclusive)?.tag ?? null,
    single_active_consumer_tag: null,
    policy: null,
    operator_policy: null,
    effective_policy_definition: NO_POLICY,
    message_stats: queueMessageStats(queue.stats, rates),
    idle_since: rates.idleSince === undefined ? undefined : isoTime(rates.idleSince),
    owner_pid_details: undefined,
  };
  const owner = queue.owner === undefined ? undefined : clients.connectionById(queue.owner);
  if (owner) view.owner_pid_details = { name: owner.name, peer_host: owner.details.peerHost, peer_port: owner.details.peerPort };
  return view;
}

/** One queue in detail: the listing's fields plus its consumers, as GET /api/queues/{vhost}/{name} shows it. */
export function presentQueueDetail(queue: Queue, presentation: QueuePresentation): QueueView & { consumer_details: Partial<ConsumerView>[] } {
  return { ...presentQueue(queue, presentation), consumer_details: queue.consumers.map((consumer) => presentQueueConsumer(queue, consumer)) };
}

/** A client's consumer with its channel; one the broker runs itself (none yet) with what the queue knows. */
function presentQueueConsumer(queue: Queue, consumer: Consumer): ConsumerView | Omit<ConsumerView, 'channel_details' | 'prefetch_count'> {
  if (isClientConsumer(consumer)) return presentConsumer(consumer);
  return {
    consumer_tag: consumer.tag, queue: { name: queue.name, vhost: queue.vhost }, ack_required: !consumer.noAck,
    exclusive: consumer.exclusive, active: true, activity_status: 'up', arguments: {},
  };
}

function isClientConsumer(consumer: Consumer): consumer is Consumer & ClientConsumer {
  return (consumer as Partial<ClientConsumer>).channel !== undefined;
}
