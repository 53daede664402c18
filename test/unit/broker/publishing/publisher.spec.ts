/**
 * Publishing through the topology: every exchange type, exchange-to-exchange
 * chains and cycles, one copy per queue, alternate exchanges, and refusals.
 */
import type { MessageProperties } from '../../../../src/broker/message/message';
import { Publisher } from '../../../../src/broker/publishing/publisher';
import { TopologyService } from '../../../../src/broker/topology/topology-service';
import { message } from '../queue/fixtures';
import { exchange, queue, startTopology, toExchange, toQueue } from '../topology/fixtures';

describe('Publisher', () => {
  let topology: TopologyService;
  let publisher: Publisher;
  beforeEach(async () => {
    topology = await startTopology();
    publisher = new Publisher(topology);
    for (const name of ['q1', 'q2', 'q3']) await topology.declareQueue('/', name, queue());
  });

  /** Publishes and returns the names of the queues that took the message. */
  function publish(exchangeName: string, routingKey: string, properties: MessageProperties = {}, body = 'm'): string[] {
    const result = publisher.publish('/', message(body, properties, { exchange: exchangeName, routingKey }));
    return result.queues.map((q) => q.name).sort();
  }

  const counts = () => ['q1', 'q2', 'q3'].map((name) => topology.queue('/', name).messageCount);

  it('routes through the default exchange by queue name', () => {
    expect(publish('', 'q2')).toEqual(['q2']);
    expect(publish('', 'nowhere')).toEqual([]);
    expect(counts()).toEqual([0, 1, 0]);
  });

  it('enqueues the message itself, body and properties as published', () => {
    const sent = message('hello', { contentType: 'text/plain', headers: { a: 1 } }, { exchange: '', routingKey: 'q1' });
    publisher.publish('/', sent);
    expect(topology.queue('/', 'q1').take(false)!.message).toBe(sent);
  });

  it('routes through a direct exchange by exact key', async () => {
    await topology.declareExchange('/', 'd', exchange({ type: 'direct' }));
    await topology.bind(toQueue('d', 'q1', 'a'));
    await topology.bind(toQueue('d', 'q2', 'b'));
    expect(publish('d', 'a')).toEqual(['q1']);
    expect(publish('d', 'c')).toEqual([]);
  });

  it('routes through a fanout exchange to every bound queue', async () => {
    await topology.declareExchange('/', 'f', exchange({ type: 'fanout' }));
    await topology.bind(toQueue('f', 'q1', 'ignored'));
    await topology.bind(toQueue('f', 'q3'));
    expect(publish('f', 'anything')).toEqual(['q1', 'q3']);
  });

  it('routes through a topic exchange by pattern', async () => {
    await topology.declareExchange('/', 't', exchange({ type: 'topic' }));
    await topology.bind(toQueue('t', 'q1', 'stock.*.nyse'));
    await topology.bind(toQueue('t', 'q2', 'stock.#'));
    await topology.bind(toQueue('t', 'q3', ''));
    expect(publish('t', 'stock.ibm.nyse')).toEqual(['q1', 'q2']);
    expect(publish('t', 'stock')).toEqual(['q2']);
    expect(publish('t', '')).toEqual(['q3']);
  });

  it('routes through a headers exchange by the message headers', async () => {
    await topology.bind(toQueue('amq.headers', 'q1', '', { 'x-match': 'all', format: 'pdf', type: 'report' }));
    await topology.bind(toQueue('amq.headers', 'q2', '', { 'x-match': 'any', format: 'pdf', type: 'log' }));
    expect(publish('amq.headers', 'k', { headers: { format: 'pdf', type: 'report' } })).toEqual(['q1', 'q2']);
    expect(publish('amq.headers', 'k', { headers: { type: 'log' } })).toEqual(['q2']);
    expect(publish('amq.headers', 'k')).toEqual([]);
  });

  it('follows exchange-to-exchange chains', async () => {
    await topology.declareExchange('/', 'a', exchange({ type: 'topic' }));
    await topology.declareExchange('/', 'b', exchange({ type: 'direct' }));
    await topology.declareExchange('/', 'c', exchange({ type: 'fanout' }));
    await topology.bind(toExchange('a', 'b', 'x.#'));
    await topology.bind(toExchange('b', 'c', 'x.y'));
    await topology.bind(toQueue('c', 'q3'));
    await topology.bind(toQueue('b', 'q2', 'x.z'));
    expect(publish('a', 'x.y')).toEqual(['q3']);
    expect(publish('a', 'x.z')).toEqual(['q2']);
    expect(publish('a', 'y.y')).toEqual([]);
  });

  it('survives cycles between exchanges and delivers once to each queue on them', async () => {
    await topology.declareExchange('/', 'a', exchange({ type: 'fanout' }));
    await topology.declareExchange('/', 'b', exchange({ type: 'fanout' }));
    await topology.bind(toExchange('a', 'b'));
    await topology.bind(toExchange('b', 'a'));
    await topology.bind(toExchange('a', 'a'));
    await topology.bind(toQueue('a', 'q1'));
    await topology.bind(toQueue('b', 'q1'));
    await topology.bind(toQueue('b', 'q2'));
    expect(publish('a', 'k')).toEqual(['q1', 'q2']);
    expect(publish('b', 'k')).toEqual(['q1', 'q2']);
    expect(counts()).toEqual([2, 2, 0]);
  });

  it('gives a queue reached by several bindings or paths the message once', async () => {
    await topology.declareExchange('/', 't', exchange({ type: 'topic' }));
    await topology.bind(toQueue('t', 'q1', 'a.*'));
    await topology.bind(toQueue('t', 'q1', '#'));
    await topology.bind(toQueue('t', 'q1', 'a.b'));
    await topology.bind(toExchange('t', 'amq.fanout', 'a.#'));
    await topology.bind(toQueue('amq.fanout', 'q1'));
    expect(publish('t', 'a.b')).toEqual(['q1']);
    expect(counts()).toEqual([1, 0, 0]);
  });

  describe('alternate exchange', () => {
    beforeEach(async () => {
      await topology.declareExchange('/', 'ae', exchange({ type: 'fanout' }));
      await topology.bind(toQueue('ae', 'q3'));
      await topology.declareExchange('/', 'x', exchange({ type: 'direct', arguments: { 'alternate-exchange': 'ae' } }));
      await topology.bind(toQueue('x', 'q1', 'known'));
    });

    it('takes what the exchange cannot route, and only that', () => {
      expect(publish('x', 'unknown')).toEqual(['q3']);
      expect(publish('x', 'known')).toEqual(['q1']);
    });

    it('is followed through a chain of alternates, and a cycle of them ends', async () => {
      await topology.declareExchange('/', 'first', exchange({ arguments: { 'alternate-exchange': 'second' } }));
      await topology.declareExchange('/', 'second', exchange({ arguments: { 'alternate-exchange': 'x' } }));
      expect(publish('first', 'known')).toEqual(['q1']);
      await topology.declareExchange('/', 'loop1', exchange({ arguments: { 'alternate-exchange': 'loop2' } }));
      await topology.declareExchange('/', 'loop2', exchange({ arguments: { 'alternate-exchange': 'loop1' } }));
      expect(publish('loop1', 'k')).toEqual([]);
    });

    it('leaves the message unroutable when the alternate does not exist', async () => {
      await topology.declareExchange('/', 'y', exchange({ arguments: { 'alternate-exchange': 'missing' } }));
      expect(publish('y', 'k')).toEqual([]);
    });

    it('is not used when the exchange routed to another exchange, as in RabbitMQ', async () => {
      await topology.declareExchange('/', 'empty', exchange({ type: 'direct' }));
      await topology.bind(toExchange('x', 'empty', 'to-empty'));
      expect(publish('x', 'to-empty')).toEqual([]);
    });

    it('of a downstream exchange is not used because its queues were reached already by another path', async () => {
      await topology.declareExchange('/', 'fan', exchange({ type: 'fanout' }));
      await topology.declareExchange('/', 'down', exchange({ type: 'fanout', arguments: { 'alternate-exchange': 'ae' } }));
      await topology.bind(toQueue('fan', 'q1'));
      await topology.bind(toExchange('fan', 'down'));
      await topology.bind(toQueue('down', 'q1'));
      expect(publish('fan', 'k')).toEqual(['q1']);
    });
  });

  it('refuses to publish to an internal exchange, which still routes what is bound into it', async () => {
    await topology.declareExchange('/', 'inside', exchange({ type: 'fanout', internal: true }));
    await topology.bind(toQueue('inside', 'q1'));
    await topology.bind(toExchange('amq.fanout', 'inside'));
    expect(() => publish('inside', 'k')).toThrow("ACCESS_REFUSED - cannot publish to internal exchange 'inside' in vhost '/'");
    expect(counts()).toEqual([0, 0, 0]);
    expect(publish('amq.fanout', 'k')).toEqual(['q1']);
  });

  it('answers NOT_FOUND for a missing exchange or vhost', () => {
    expect(() => publish('missing', 'k')).toThrow("NOT_FOUND - no exchange 'missing' in vhost '/'");
    expect(() => publisher.publish('nope', message())).toThrow("NOT_FOUND - no vhost 'nope'");
  });

  it('lands priorities in order on a priority queue: highest first, FIFO within a level, clamped to the maximum', async () => {
    await topology.declareQueue('/', 'prio', queue({ arguments: { 'x-max-priority': 5 } }));
    const sent: [string, number | undefined][] = [['a', 1], ['b', undefined], ['c', 5], ['d', 9], ['e', 1], ['f', 0], ['g', 3]];
    for (const [body, priority] of sent) publish('', 'prio', { priority }, body);
    const q = topology.queue('/', 'prio');
    const order: string[] = [];
    for (let m = q.take(false); m; m = q.take(false)) order.push(m.message.body.toString());
    expect(order).toEqual(['c', 'd', 'g', 'a', 'e', 'b', 'f']);
  });

  it('counts what exchanges took in, and one publish_out per queue reached (as RabbitMQ does)', async () => {
    const x = topology.exchange('/', 'amq.direct');
    await topology.bind(toQueue('amq.direct', 'q1', 'k'));
    await topology.bind(toQueue('amq.direct', 'q2', 'k'));
    publish('amq.direct', 'k');
    publish('amq.direct', 'other');
    expect({ ...x.stats }).toEqual({ publishIn: 2, publishOut: 2 });
  });
});
