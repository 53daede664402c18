/**
 * message_stats as RabbitMQ's management API writes them: each count next to
 * `<name>_details: {rate}`, the per-second rate over the last statistics
 * interval. deliver_get is the sum of deliver, deliver_no_ack, get and get_no_ack.
 */
import type { ChannelCounters, QueueCounters } from '../../broker/stats/counters';
import type { Rates } from '../../broker/stats/statistics';

export interface Rate {
  rate: number;
}

export type MessageStats = Record<string, number | Rate>;

type DeliverName = 'deliver' | 'deliverNoAck' | 'get' | 'getNoAck' | 'getEmpty' | 'redeliver' | 'ack';
type PublishName = 'publish' | 'confirm' | 'returnUnroutable' | 'dropUnroutable';

const DELIVER_STATS: [string, DeliverName][] = [
  ['ack', 'ack'], ['deliver', 'deliver'], ['deliver_no_ack', 'deliverNoAck'], ['get', 'get'],
  ['get_empty', 'getEmpty'], ['get_no_ack', 'getNoAck'], ['redeliver', 'redeliver'],
];

const PUBLISH_STATS: [string, PublishName][] = [
  ['publish', 'publish'], ['confirm', 'confirm'], ['return_unroutable', 'returnUnroutable'], ['drop_unroutable', 'dropUnroutable'],
];

export function put(into: MessageStats, name: string, count: number, rate: number): void {
  into[name] = count;
  into[`${name}_details`] = { rate };
}

/** What a queue shows: publish and the delivery counters. */
export function queueMessageStats(counts: QueueCounters, rates: Rates<DeliverName | 'publish'>): MessageStats {
  const stats: MessageStats = {};
  put(stats, 'publish', counts.publish, rates.rate('publish'));
  addDeliverStats(stats, counts, rates);
  return stats;
}

/** What a channel, a vhost and the node show: publishing and delivery together. */
export function channelMessageStats(counts: ChannelCounters, rates: Rates<DeliverName | PublishName>): MessageStats {
  const stats: MessageStats = {};
  for (const [name, field] of PUBLISH_STATS) put(stats, name, counts[field], rates.rate(field));
  addDeliverStats(stats, counts, rates);
  return stats;
}

function addDeliverStats(stats: MessageStats, counts: QueueCounters, rates: Rates<DeliverName>): void {
  for (const [name, field] of DELIVER_STATS) put(stats, name, counts[field], rates.rate(field));
  const deliverGet = counts.deliver + counts.deliverNoAck + counts.get + counts.getNoAck;
  const deliverGetRate = rates.rate('deliver') + rates.rate('deliverNoAck') + rates.rate('get') + rates.rate('getNoAck');
  put(stats, 'deliver_get', deliverGet, deliverGetRate);
}

/** RabbitMQ's timestamp format for idle_since: "2026-01-02T03:04:05.678+00:00". */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}
