/**
 * message_stats as RabbitMQ's management API writes them: each count next to
 * `<name>_details: {rate}`, the per-second rate over the last statistics
 * interval. deliver_get is the sum of deliver, deliver_no_ack, get and get_no_ack.
 * The objects are built as literals of one fixed shape: a listing of 10,000
 * queues builds 10,000 of them, and JSON.stringify is fastest on such objects.
 */
import type { ChannelCounters, QueueCounters } from '../../broker/stats/counters';
import type { Rates } from '../../broker/stats/statistics';

export interface Rate {
  rate: number;
}

export type MessageStats = Record<string, number | Rate>;

const STILL: Rate = Object.freeze({ rate: 0 });

/** `{rate}`; the common 0 is one shared object, which a listing of thousands of idle queues thanks us for. */
export function rateOf(rate: number): Rate {
  return rate === 0 ? STILL : { rate };
}

type DeliverName = 'deliver' | 'deliverNoAck' | 'get' | 'getNoAck' | 'getEmpty' | 'redeliver' | 'ack';
type PublishName = 'publish' | 'confirm' | 'returnUnroutable' | 'dropUnroutable';

export function put(into: MessageStats, name: string, count: number, rate: number): void {
  into[name] = count;
  into[`${name}_details`] = rateOf(rate);
}

/** What a queue shows: publish and the delivery counters. */
export function queueMessageStats(c: QueueCounters, r: Rates<DeliverName | 'publish'>) {
  return {
    publish: c.publish, publish_details: rateOf(r.rate('publish')),
    ...deliverStats(c, r),
  };
}

/** What a channel, a vhost and the node show: publishing and delivery together. */
export function channelMessageStats(c: ChannelCounters, r: Rates<DeliverName | PublishName>) {
  return {
    publish: c.publish, publish_details: rateOf(r.rate('publish')),
    confirm: c.confirm, confirm_details: rateOf(r.rate('confirm')),
    return_unroutable: c.returnUnroutable, return_unroutable_details: rateOf(r.rate('returnUnroutable')),
    drop_unroutable: c.dropUnroutable, drop_unroutable_details: rateOf(r.rate('dropUnroutable')),
    ...deliverStats(c, r),
  };
}

function deliverStats(c: QueueCounters, r: Rates<DeliverName>) {
  const deliver = r.rate('deliver');
  const deliverNoAck = r.rate('deliverNoAck');
  const get = r.rate('get');
  const getNoAck = r.rate('getNoAck');
  return {
    ack: c.ack, ack_details: rateOf(r.rate('ack')),
    deliver: c.deliver, deliver_details: rateOf(deliver),
    deliver_get: c.deliver + c.deliverNoAck + c.get + c.getNoAck, deliver_get_details: rateOf(deliver + deliverNoAck + get + getNoAck),
    deliver_no_ack: c.deliverNoAck, deliver_no_ack_details: rateOf(deliverNoAck),
    get: c.get, get_details: rateOf(get),
    get_empty: c.getEmpty, get_empty_details: rateOf(r.rate('getEmpty')),
    get_no_ack: c.getNoAck, get_no_ack_details: rateOf(getNoAck),
    redeliver: c.redeliver, redeliver_details: rateOf(r.rate('redeliver')),
  };
}

let lastTime = NaN;
let lastIso = '';

/**
 * RabbitMQ's timestamp format for idle_since: "2026-01-02T03:04:05.678+00:00".
 * Idle objects share the sample time they went idle at, so the last answer is kept.
 */
export function isoTime(ms: number): string {
  if (ms !== lastTime) {
    lastTime = ms;
    lastIso = new Date(ms).toISOString().replace('Z', '+00:00');
  }
  return lastIso;
}
