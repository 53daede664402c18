/** /api/overview and /api/vhosts: totals over the topology, shaped as RabbitMQ shows them. */
import { EXCHANGE_TYPES } from '../../broker/routing';
import type { VirtualHost } from '../../broker/topology/vhost';
import { NODE_NAME, PRODUCT_NAME, PRODUCT_VERSION, RABBITMQ_COMPATIBLE_VERSION } from './node';

export interface MessageTotals {
  messages: number;
  messages_ready: number;
  messages_unacknowledged: number;
}

export function messageTotals(vhosts: VirtualHost[]): MessageTotals {
  const totals = { messages: 0, messages_ready: 0, messages_unacknowledged: 0 };
  for (const vhost of vhosts) {
    for (const queue of vhost.queues.values()) {
      totals.messages_ready += queue.messageCount;
      totals.messages_unacknowledged += queue.unackedCount;
    }
  }
  totals.messages = totals.messages_ready + totals.messages_unacknowledged;
  return totals;
}

export function presentVhost(vhost: VirtualHost) {
  const { description, tags, defaultQueueType } = vhost.settings;
  return {
    name: vhost.name,
    description,
    tags: [...tags],
    default_queue_type: defaultQueueType,
    metadata: { description, tags: [...tags], default_queue_type: defaultQueueType },
    tracing: false,
    ...messageTotals([vhost]),
    cluster_state: { [NODE_NAME]: 'running' },
  };
}

const TYPE_DESCRIPTIONS: Record<string, string> = {
  direct: 'AMQP direct exchange, as per the AMQP specification',
  fanout: 'AMQP fanout exchange, as per the AMQP specification',
  topic: 'AMQP topic exchange, as per the AMQP specification',
  headers: 'AMQP headers exchange, as per the AMQP specification',
};

/**
 * Connections and channels read 0 until the AMQP edge reports them; there are no
 * rates, so rates_mode is "none" as in a RabbitMQ with statistics disabled.
 */
export function presentOverview(vhosts: VirtualHost[]) {
  let exchanges = 0;
  let queues = 0;
  let consumers = 0;
  for (const vhost of vhosts) {
    exchanges += vhost.exchanges.size;
    queues += vhost.queues.size;
    for (const queue of vhost.queues.values()) consumers += queue.consumerCount;
  }
  return {
    management_version: RABBITMQ_COMPATIBLE_VERSION,
    rabbitmq_version: RABBITMQ_COMPATIBLE_VERSION,
    product_name: PRODUCT_NAME,
    product_version: PRODUCT_VERSION,
    rates_mode: 'none',
    cluster_name: NODE_NAME,
    node: NODE_NAME,
    exchange_types: EXCHANGE_TYPES.map((name) => ({ name, description: TYPE_DESCRIPTIONS[name], enabled: true })),
    message_stats: {},
    queue_totals: messageTotals(vhosts),
    object_totals: { connections: 0, channels: 0, consumers, exchanges, queues },
    statistics_db_event_queue: 0,
  };
}
