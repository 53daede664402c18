/**
 * The message counters of queues, exchanges and channels. The hot path only
 * increments these plain fields (`stats.publish++`): no allocation, no clock.
 * Names follow RabbitMQ's management API (camelCase here, snake_case there).
 * Rates are derived elsewhere, by a sampler on a timer (see statistics.ts).
 */

/** What a queue counts: messages in, and how they went out. */
export class QueueCounters {
  /** Messages enqueued. */
  publish = 0;
  /** Pushed to a consumer that acks manually. */
  deliver = 0;
  /** Pushed to a consumer with no-ack. */
  deliverNoAck = 0;
  /** basic.get with manual ack. */
  get = 0;
  /** basic.get with no-ack. */
  getNoAck = 0;
  /** basic.get that found the queue empty. */
  getEmpty = 0;
  /** Handed out (delivered or got) with the redelivered flag set. */
  redeliver = 0;
  /** Acknowledged by the client (basic.ack; not reject or nack). */
  ack = 0;
}

export const QUEUE_COUNTERS = ['publish', 'deliver', 'deliverNoAck', 'get', 'getNoAck', 'getEmpty', 'redeliver', 'ack'] as const;

/** What an exchange counts: publishes into it, and queue deliveries out of it. */
export class ExchangeCounters {
  publishIn = 0;
  /** One per queue a message published to this exchange reached. */
  publishOut = 0;
}

export const EXCHANGE_COUNTERS = ['publishIn', 'publishOut'] as const;

/** What a channel counts; a vhost's and the node's message_stats are sums of these. */
export class ChannelCounters extends QueueCounters {
  /** Publishes received on a channel in confirm mode. */
  publishConfirm = 0;
  /** Publishes that reached at least one queue. */
  routed = 0;
  /** Publishes confirmed with basic.ack. */
  confirm = 0;
  /** Unroutable mandatory publishes sent back with basic.return. */
  returnUnroutable = 0;
  /** Unroutable publishes without mandatory, dropped. */
  dropUnroutable = 0;
}

export const CHANNEL_COUNTERS = [
  ...QUEUE_COUNTERS, 'publishConfirm', 'routed', 'confirm', 'returnUnroutable', 'dropUnroutable',
] as const;

export type ChannelCounterName = (typeof CHANNEL_COUNTERS)[number];

/** Adds every counter of `from` to `into` (a closed channel's counts go to its vhost's totals). */
export function addCounters(into: ChannelCounters, from: ChannelCounters): void {
  for (const name of CHANNEL_COUNTERS) into[name] += from[name];
}

/** Bytes and socket operations of one connection. */
export class TrafficCounters {
  recvOct = 0;
  recvCnt = 0;
  sendOct = 0;
  sendCnt = 0;
}

export const TRAFFIC_COUNTERS = ['recvOct', 'recvCnt', 'sendOct', 'sendCnt'] as const;
