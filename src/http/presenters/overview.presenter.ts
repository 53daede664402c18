/**
 * /api/overview and /api/vhosts: totals over the topology and the live clients,
 * with rates from the statistics sampler, shaped as RabbitMQ shows them.
 */
import type { ClientRegistry } from '../../broker/clients/client-registry';
import { EXCHANGE_TYPES } from '../../broker/routing';
import type { Rates, Statistics, TotalRate } from '../../broker/stats/statistics';
import type { VirtualHost } from '../../broker/topology/vhost';
import type { Listener } from '../../node/node-listeners';
import { channelMessageStats, MessageStats, put, Rate, rateOf } from './message-stats';
import { NODE_NAME, PRODUCT_NAME, PRODUCT_VERSION, RABBITMQ_COMPATIBLE_VERSION } from './node';

export interface MessageTotals {
  messages: number;
  messages_details: Rate;
  messages_ready: number;
  messages_ready_details: Rate;
  messages_unacknowledged: number;
  messages_unacknowledged_details: Rate;
}

export interface StatsSources {
  clients: ClientRegistry;
  statistics: Statistics;
}

export function messageTotals(vhosts: VirtualHost[], rates: Rates<TotalRate>): MessageTotals {
  let ready = 0;
  let unacked = 0;
  for (const vhost of vhosts) {
    for (const queue of vhost.queues.values()) {
      ready += queue.messageCount;
      unacked += queue.unackedCount;
    }
  }
  return {
    messages: ready + unacked,
    messages_details: rateOf(rates.rate('messages')),
    messages_ready: ready,
    messages_ready_details: rateOf(rates.rate('messagesReady')),
    messages_unacknowledged: unacked,
    messages_unacknowledged_details: rateOf(rates.rate('messagesUnacknowledged')),
  };
}

export function presentVhost(vhost: VirtualHost, { clients, statistics }: StatsSources) {
  const rates = statistics.vhost(vhost.name);
  const { description, tags, defaultQueueType } = vhost.settings;
  return {
    name: vhost.name,
    description,
    tags: [...tags],
    default_queue_type: defaultQueueType,
    metadata: { description, tags: [...tags], default_queue_type: defaultQueueType },
    tracing: false,
    ...messageTotals([vhost], rates),
    message_stats: channelMessageStats(clients.totals(vhost.name), rates),
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
 * rates_mode is "basic": each rate covers the last statistics interval. Warren
 * keeps no history of samples, so there are no sample_retention_policies and
 * no `lengths_age`/`msg_rates_age` ranges.
 */
export function presentOverview(vhosts: VirtualHost[], listeners: Listener[], sources: StatsSources) {
  const { clients, statistics } = sources;
  let exchanges = 0;
  let queues = 0;
  let consumers = 0;
  for (const vhost of vhosts) {
    exchanges += vhost.exchanges.size;
    queues += vhost.queues.size;
    for (const queue of vhost.queues.values()) consumers += queue.consumerCount;
  }
  const rates = statistics.node();
  return {
    management_version: RABBITMQ_COMPATIBLE_VERSION,
    rabbitmq_version: RABBITMQ_COMPATIBLE_VERSION,
    product_name: PRODUCT_NAME,
    product_version: PRODUCT_VERSION,
    rates_mode: 'basic',
    disable_stats: false,
    enable_queue_totals: false,
    cluster_name: NODE_NAME,
    node: NODE_NAME,
    exchange_types: EXCHANGE_TYPES.map((name) => ({ name, description: TYPE_DESCRIPTIONS[name], enabled: true })),
    message_stats: channelMessageStats(clients.totals(), rates),
    churn_rates: churnRates(sources),
    queue_totals: messageTotals(vhosts, rates),
    object_totals: { connections: clients.connectionCount, channels: clients.channels().length, consumers, exchanges, queues },
    statistics_db_event_queue: 0,
    listeners: listeners.map((listener) => ({
      node: NODE_NAME, protocol: listener.protocol, ip_address: listener.ipAddress, port: listener.port, socket_opts: {},
    })),
  };
}

function churnRates({ clients, statistics }: StatsSources): MessageStats {
  const churn: MessageStats = {};
  const rates = statistics.churn();
  put(churn, 'connection_created', clients.churn.connectionsOpened, rates.rate('connectionsOpened'));
  put(churn, 'connection_closed', clients.churn.connectionsClosed, rates.rate('connectionsClosed'));
  put(churn, 'channel_created', clients.churn.channelsOpened, rates.rate('channelsOpened'));
  put(churn, 'channel_closed', clients.churn.channelsClosed, rates.rate('channelsClosed'));
  return churn;
}
