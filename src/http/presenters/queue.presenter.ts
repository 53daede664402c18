/** A queue as RabbitMQ's management API lists it, with its counts from the domain. */
import type { Queue } from '../../broker/queue/queue';
import { NO_RATE, Rate } from './exchange.presenter';
import { JsonValue, toJsonTable } from './json-value';
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
  consumers: number;
  /** Bytes of the ready messages; the domain does not count the bytes of unacked ones yet. */
  message_bytes: number;
  message_bytes_ready: number;
  exclusive_consumer_tag: string | null;
  policy: null;
  effective_policy_definition: Record<string, never>;
  message_stats: QueueMessageStats;
}

export interface QueueMessageStats {
  publish: number;
  publish_details: Rate;
  deliver_get: number;
  deliver_get_details: Rate;
  ack: number;
  ack_details: Rate;
  redeliver: number;
  redeliver_details: Rate;
}

export interface ConsumerView {
  consumer_tag: string;
  exclusive: boolean;
  ack_required: boolean;
  active: boolean;
  activity_status: 'up';
  arguments: Record<string, never>;
  queue: { name: string; vhost: string };
}

export function presentQueue(queue: Queue): QueueView {
  const ready = queue.messageCount;
  const unacked = queue.unackedCount;
  const bytes = queue.ready.byteSize;
  const exclusiveConsumer = queue.consumers.find((consumer) => consumer.exclusive);
  return {
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
    messages_details: NO_RATE,
    messages_ready: ready,
    messages_ready_details: NO_RATE,
    messages_unacknowledged: unacked,
    messages_unacknowledged_details: NO_RATE,
    consumers: queue.consumerCount,
    message_bytes: bytes,
    message_bytes_ready: bytes,
    exclusive_consumer_tag: exclusiveConsumer?.tag ?? null,
    policy: null,
    effective_policy_definition: {},
    message_stats: presentQueueStats(queue),
  };
}

/** One queue in detail: the listing's fields plus its consumers. */
export function presentQueueDetail(queue: Queue): QueueView & { consumer_details: ConsumerView[] } {
  const consumer_details = queue.consumers.map((consumer) => ({
    consumer_tag: consumer.tag,
    exclusive: consumer.exclusive,
    ack_required: !consumer.noAck,
    active: true,
    activity_status: 'up' as const,
    arguments: {},
    queue: { name: queue.name, vhost: queue.vhost },
  }));
  return { ...presentQueue(queue), consumer_details };
}

function presentQueueStats(queue: Queue): QueueMessageStats {
  const { published, delivered, acked, redelivered } = queue.stats;
  return {
    publish: published,
    publish_details: NO_RATE,
    deliver_get: delivered,
    deliver_get_details: NO_RATE,
    ack: acked,
    ack_details: NO_RATE,
    redeliver: redelivered,
    redeliver_details: NO_RATE,
  };
}
