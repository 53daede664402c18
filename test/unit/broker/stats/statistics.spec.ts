/**
 * The statistics sampler over a real topology and client registry, on a clock
 * the test drives: rates of queues, exchanges, channels, vhosts and the node,
 * and totals that keep the counts of channels that closed.
 */
import { ClientRegistry } from '../../../../src/broker/clients/client-registry';
import type { ClientChannel, ClientConnection } from '../../../../src/broker/clients/live-clients';
import type { Clock } from '../../../../src/broker/ports/clock';
import { Publisher } from '../../../../src/broker/publishing/publisher';
import { ChannelCounters, TrafficCounters } from '../../../../src/broker/stats/counters';
import { Statistics } from '../../../../src/broker/stats/statistics';
import type { TopologyService } from '../../../../src/broker/topology/topology-service';
import { message } from '../queue/fixtures';
import { queue, startTopology } from '../topology/fixtures';

class ManualClock implements Clock {
  time = 0;
  ticks: (() => void)[] = [];
  intervals: number[] = [];

  now(): number {
    return this.time;
  }

  every(intervalMs: number, tick: () => void): () => void {
    this.intervals.push(intervalMs);
    this.ticks.push(tick);
    return () => (this.ticks = this.ticks.filter((t) => t !== tick));
  }

  advance(ms: number): void {
    this.time += ms;
    for (const tick of this.ticks) tick();
  }
}

function fakeConnection(name: string, vhost: string, channelStats: ChannelCounters[]): ClientConnection {
  const connection: ClientConnection = {
    id: name, name, user: 'guest', vhost, state: 'running', traffic: new TrafficCounters(),
    details: {
      peerHost: '127.0.0.1', peerPort: 1, host: '127.0.0.1', port: 5672, connectedAt: 0, protocol: 'AMQP 0-9-1', authMechanism: 'PLAIN',
      clientProperties: {}, frameMax: 131072, channelMax: 2047, heartbeat: 60, tls: false,
    },
    channels: () => channels,
    close: () => undefined,
  };
  const channels: ClientChannel[] = channelStats.map((stats, i) => ({
    number: i + 1, connection, state: 'running', prefetchCount: 0, globalPrefetchCount: 0, messagesUnacknowledged: 0,
    messagesUnconfirmed: 0, messagesUncommitted: 0, acksUncommitted: 0, confirm: false, transactional: false, stats, consumers: () => [],
  }));
  return connection;
}

describe('Statistics', () => {
  let topology: TopologyService;
  let clients: ClientRegistry;
  let clock: ManualClock;
  let statistics: Statistics;

  beforeEach(async () => {
    topology = await startTopology();
    await topology.declareQueue('/', 'q', queue());
    clients = new ClientRegistry();
    clock = new ManualClock();
    statistics = new Statistics(topology, clients, clock, 5000);
    statistics.start();
  });
  afterEach(() => statistics.stop());

  it('samples on its interval', () => {
    expect(clock.intervals).toEqual([5000]);
    statistics.stop();
    expect(clock.ticks).toEqual([]);
  });

  it('gives a queue and its exchange the rates of the last interval', () => {
    const publisher = new Publisher(topology);
    for (let i = 0; i < 50; i++) publisher.publish('/', message('m', {}, { exchange: '', routingKey: 'q' }));
    clock.advance(5000);
    const q = topology.queue('/', 'q');
    expect(statistics.queue(q).rate('publish')).toBe(10);
    expect(statistics.queue(q).rate('messagesReady')).toBe(10);
    expect(statistics.exchange(topology.exchange('/', '')).rate('publishIn')).toBe(10);
    for (let i = 0; i < 10; i++) q.take(false);
    clock.advance(5000);
    expect(statistics.queue(q).rate('publish')).toBe(0);
    expect(statistics.queue(q).rate('getNoAck')).toBe(2);
    expect(statistics.queue(q).rate('messages')).toBe(-2);
    expect(statistics.node().rate('messages')).toBe(-2);
  });

  it('keeps the counts of closed channels in their vhost\'s and the node\'s totals', () => {
    const stats = new ChannelCounters();
    const connection = fakeConnection('c1', '/', [stats]);
    clients.opened(connection);
    clock.advance(5000);
    stats.publish = 20;
    clock.advance(5000);
    expect(statistics.vhost('/').rate('publish')).toBe(4);
    expect(statistics.channel([...connection.channels()][0]).rate('publish')).toBe(4);
    clients.channelClosed([...connection.channels()][0]);
    clients.closed(connection, 'closed by client');
    expect(clients.totals('/').publish).toBe(20);
    expect(clients.totals().publish).toBe(20);
    clock.advance(5000);
    expect(statistics.vhost('/').rate('publish')).toBe(0);
    expect(statistics.node().rate('publish')).toBe(0);
  });

  it('gives a new object no rate until it has two samples, as RabbitMQ does', () => {
    const stats = new ChannelCounters();
    const connection = fakeConnection('new', '/', [stats]);
    clients.opened(connection);
    stats.publish = 20;
    clock.advance(5000);
    expect(statistics.channel([...connection.channels()][0]).rate('publish')).toBe(0);
  });

  it('reads 0 for what has not been sampled yet', () => {
    const late = fakeConnection('late', '/', [new ChannelCounters()]);
    expect(statistics.connection(late).rate('recvOct')).toBe(0);
    expect(statistics.vhost('nowhere').rate('publish')).toBe(0);
  });

  it('counts connections and channels opened and closed per second', () => {
    const connection = fakeConnection('c2', '/', []);
    clients.opened(connection);
    clients.channelOpened();
    clock.advance(1000);
    expect(statistics.churn().rate('connectionsOpened')).toBe(1);
    expect(statistics.churn().rate('channelsOpened')).toBe(1);
  });
});
