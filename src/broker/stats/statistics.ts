/**
 * Rates for the admin API: every statistics interval (RabbitMQ's
 * collect_statistics_interval, 5 s by default) one pass samples the counters of
 * every queue, exchange, channel and connection, and the totals of each vhost
 * and of the node, into rate meters. Between samples nothing runs: the hot path
 * only increments counters. Readers get the rates of the last interval.
 */
import type { ClientChannel, ClientConnection } from '../clients/live-clients';
import type { ClientRegistry } from '../clients/client-registry';
import type { Clock } from '../ports/clock';
import type { Queue } from '../queue/queue';
import type { Exchange } from '../topology/exchange';
import type { TopologyService } from '../topology/topology-service';
import { CHANNEL_COUNTERS, EXCHANGE_COUNTERS, QUEUE_COUNTERS, TRAFFIC_COUNTERS } from './counters';
import { RateMeter } from './rate-meter';

const DEPTH = ['messages', 'messagesReady', 'messagesUnacknowledged'] as const;
export type Depth = Record<(typeof DEPTH)[number], number>;

export const QUEUE_RATES = [...QUEUE_COUNTERS, ...DEPTH] as const;
export const TOTAL_RATES = [...CHANNEL_COUNTERS, ...DEPTH] as const;

export type QueueRate = (typeof QUEUE_RATES)[number];
export type TotalRate = (typeof TOTAL_RATES)[number];
export type ExchangeRate = (typeof EXCHANGE_COUNTERS)[number];
export type ChannelRate = (typeof CHANNEL_COUNTERS)[number];
export type TrafficRate = (typeof TRAFFIC_COUNTERS)[number];

const CHURN = ['connectionsOpened', 'connectionsClosed', 'channelsOpened', 'channelsClosed'] as const;
export type ChurnRate = (typeof CHURN)[number];

/** Reads rates: a meter that has not been sampled yet reads 0, as RabbitMQ shows a new object. */
export interface Rates<K extends string> {
  rate(name: K): number;
  readonly idleSince: number | undefined;
}

const UNSAMPLED: Rates<string> = { rate: () => 0, idleSince: undefined };

export const DEFAULT_STATS_INTERVAL_MS = 5000;

export class Statistics {
  private readonly meters = new WeakMap<object, RateMeter<string>>();
  private readonly vhostMeters = new Map<string, RateMeter<TotalRate>>();
  private readonly nodeMeter = new RateMeter<TotalRate>(TOTAL_RATES);
  private readonly churnMeter = new RateMeter<ChurnRate>(CHURN);
  private stopTimer?: () => void;

  constructor(
    private readonly topology: TopologyService,
    private readonly clients: ClientRegistry,
    private readonly clock: Clock,
    readonly intervalMs = DEFAULT_STATS_INTERVAL_MS,
  ) {}

  start(): void {
    this.sample();
    this.stopTimer = this.clock.every(this.intervalMs, () => this.sample());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  /** One pass over everything; public so tests can sample at a time of their choosing. */
  sample(): void {
    const now = this.clock.now();
    const nodeDepth = emptyDepth();
    for (const vhost of this.topology.vhosts()) {
      const vhostDepth = emptyDepth();
      for (const queue of vhost.queues.values()) {
        const depth = depthOf(queue);
        addDepth(vhostDepth, depth);
        this.meterFor(queue, QUEUE_RATES).sample(now, (name) => (name in depth ? depth[name as keyof Depth] : queue.stats[name as keyof Queue['stats']]));
      }
      for (const exchange of vhost.exchanges.values()) {
        this.meterFor(exchange, EXCHANGE_COUNTERS).sample(now, (name) => exchange.stats[name]);
      }
      addDepth(nodeDepth, vhostDepth);
      let meter = this.vhostMeters.get(vhost.name);
      if (!meter) this.vhostMeters.set(vhost.name, (meter = new RateMeter(TOTAL_RATES)));
      const totals = this.clients.totals(vhost.name);
      meter.sample(now, (name) => (name in vhostDepth ? vhostDepth[name as keyof Depth] : totals[name as ChannelRate]));
    }
    for (const name of this.vhostMeters.keys()) if (!this.topology.hasVhost(name)) this.vhostMeters.delete(name);
    const totals = this.clients.totals();
    this.nodeMeter.sample(now, (name) => (name in nodeDepth ? nodeDepth[name as keyof Depth] : totals[name as ChannelRate]));
    this.churnMeter.sample(now, (name) => this.clients.churn[name]);
    for (const connection of this.clients.connections()) {
      this.meterFor(connection, TRAFFIC_COUNTERS).sample(now, (name) => connection.traffic[name]);
      for (const channel of connection.channels()) {
        this.meterFor(channel, CHANNEL_COUNTERS).sample(now, (name) => channel.stats[name]);
      }
    }
  }

  queue(queue: Queue): Rates<QueueRate> {
    return this.meters.get(queue) ?? UNSAMPLED;
  }

  exchange(exchange: Exchange): Rates<ExchangeRate> {
    return this.meters.get(exchange) ?? UNSAMPLED;
  }

  channel(channel: ClientChannel): Rates<ChannelRate> {
    return this.meters.get(channel) ?? UNSAMPLED;
  }

  connection(connection: ClientConnection): Rates<TrafficRate> {
    return this.meters.get(connection) ?? UNSAMPLED;
  }

  vhost(name: string): Rates<TotalRate> {
    return this.vhostMeters.get(name) ?? UNSAMPLED;
  }

  node(): Rates<TotalRate> {
    return this.nodeMeter;
  }

  /** Connections and channels opened and closed per second. */
  churn(): Rates<ChurnRate> {
    return this.churnMeter;
  }

  private meterFor<K extends string>(owner: object, names: readonly K[]): RateMeter<K> {
    let meter = this.meters.get(owner) as RateMeter<K> | undefined;
    if (!meter) this.meters.set(owner, (meter = new RateMeter<K>(names)));
    return meter;
  }
}

export function depthOf(queue: Queue): Depth {
  const messagesReady = queue.messageCount;
  const messagesUnacknowledged = queue.unackedCount;
  return { messages: messagesReady + messagesUnacknowledged, messagesReady, messagesUnacknowledged };
}

function emptyDepth(): Depth {
  return { messages: 0, messagesReady: 0, messagesUnacknowledged: 0 };
}

function addDepth(into: Depth, from: Depth): void {
  into.messages += from.messages;
  into.messagesReady += from.messagesReady;
  into.messagesUnacknowledged += from.messagesUnacknowledged;
}
