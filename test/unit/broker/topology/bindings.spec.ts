/** Binding and unbinding through the TopologyService: exchange to queue, exchange to exchange. */
import { propertiesKey } from '../../../../src/broker/topology/binding';
import { TopologyService } from '../../../../src/broker/topology/topology-service';
import { MemoryTopologyStore } from '../../../../src/store/memory/memory-topology-store';
import { exchange, queue, rejection, routed, startTopology, toExchange, toQueue } from './fixtures';

describe('TopologyService: bindings', () => {
  let topology: TopologyService;
  beforeEach(async () => {
    topology = await startTopology();
    await topology.declareExchange('/', 'x', exchange({ type: 'direct' }));
    await topology.declareExchange('/', 'y', exchange({ type: 'topic' }));
    await topology.declareQueue('/', 'q1', queue());
    await topology.declareQueue('/', 'q2', queue());
  });

  it('binds an exchange to a queue, lists the binding, and routes through it', async () => {
    await topology.bind(toQueue('x', 'q1', 'k', { note: 'n' }));
    expect(topology.vhost('/').bindings).toEqual([toQueue('x', 'q1', 'k', { note: 'n' })]);
    expect(routed(topology, 'x', 'k')).toEqual(['q1']);
    expect(routed(topology, 'x', 'other')).toEqual([]);
  });

  it('binds an exchange to an exchange and routes through both', async () => {
    await topology.bind(toExchange('x', 'y', 'a.b'));
    await topology.bind(toQueue('y', 'q2', 'a.*'));
    expect(routed(topology, 'x', 'a.b')).toEqual(['q2']);
    expect(routed(topology, 'x', 'a.c')).toEqual([]);
  });

  it('keeps one binding when the same binding is made twice, arguments in any key order', async () => {
    await topology.bind(toQueue('x', 'q1', 'k', { a: 1, b: [2] }));
    await topology.bind(toQueue('x', 'q1', 'k', { b: [2], a: 1 }));
    expect(topology.vhost('/').bindings).toHaveLength(1);
    expect(topology.exchange('/', 'x').router.bindingCount).toBe(1);
  });

  it('tells bindings apart by routing key and arguments', async () => {
    await topology.bind(toQueue('x', 'q1', 'k'));
    await topology.bind(toQueue('x', 'q1', 'k', { a: 1 }));
    await topology.bind(toQueue('x', 'q1', 'j'));
    expect(topology.vhost('/').bindings).toHaveLength(3);
  });

  it('unbinds exactly the binding given, and routing follows', async () => {
    await topology.bind(toQueue('x', 'q1', 'k'));
    await topology.bind(toQueue('x', 'q2', 'k'));
    await topology.unbind(toQueue('x', 'q1', 'k'));
    expect(topology.vhost('/').bindings).toEqual([toQueue('x', 'q2', 'k')]);
    expect(routed(topology, 'x', 'k')).toEqual(['q2']);
    await topology.unbind(toQueue('x', 'q1', 'k'));
    expect(topology.vhost('/').bindings).toHaveLength(1);
  });

  it('unbinds an exchange-to-exchange binding', async () => {
    await topology.bind(toExchange('x', 'y', 'k'));
    await topology.bind(toQueue('y', 'q1', 'k'));
    await topology.unbind(toExchange('x', 'y', 'k'));
    expect(routed(topology, 'x', 'k')).toEqual([]);
    expect(routed(topology, 'y', 'k')).toEqual(['q1']);
  });

  it('deletes an auto-delete exchange when its last binding is unbound', async () => {
    await topology.declareExchange('/', 'ad', exchange({ autoDelete: true }));
    await topology.bind(toQueue('ad', 'q1', 'a'));
    await topology.bind(toQueue('ad', 'q1', 'b'));
    await topology.unbind(toQueue('ad', 'q1', 'a'));
    expect(topology.vhost('/').exchanges.has('ad')).toBe(true);
    await topology.unbind(toQueue('ad', 'q1', 'b'));
    expect(topology.vhost('/').exchanges.has('ad')).toBe(false);
  });

  it.each([
    ['from the default exchange', toQueue('', 'q1', 'k')],
    ['to the default exchange', toExchange('x', '', 'k')],
  ])('refuses to bind or unbind %s', async (_, binding) => {
    for (const attempt of [topology.bind(binding), topology.unbind(binding)]) {
      const error = await rejection(attempt);
      expect(error.replyText).toBe('ACCESS_REFUSED - operation not permitted on the default exchange');
    }
    expect(topology.vhost('/').bindings).toEqual([]);
  });

  it('answers NOT_FOUND when either end is missing', async () => {
    expect((await rejection(topology.bind(toQueue('missing', 'q1')))).replyText).toBe("NOT_FOUND - no exchange 'missing' in vhost '/'");
    expect((await rejection(topology.bind(toQueue('x', 'missing')))).replyText).toBe("NOT_FOUND - no queue 'missing' in vhost '/'");
    expect((await rejection(topology.bind(toExchange('x', 'missing')))).replyText).toBe("NOT_FOUND - no exchange 'missing' in vhost '/'");
    expect((await rejection(topology.unbind(toQueue('x', 'missing')))).name).toBe('NOT_FOUND');
    expect(topology.vhost('/').bindings).toEqual([]);
  });

  it("lets the source exchange's type refuse a binding before anything is stored", async () => {
    const store = new MemoryTopologyStore();
    topology = await startTopology(store);
    await topology.declareQueue('/', 'dq', queue({ durable: true }));
    const error = await rejection(topology.bind(toQueue('amq.headers', 'dq', '', { 'x-match': 'some' })));
    expect(error.name).toBe('PRECONDITION_FAILED');
    expect(topology.vhost('/').bindings).toEqual([]);
    expect((await store.load()).bindings).toEqual([]);
  });

  it('keeps the binding as it was made when the caller later mutates its arguments', async () => {
    const binding = toQueue('x', 'q1', 'k', { a: 1 });
    await topology.bind(binding);
    binding.arguments.a = 2;
    expect(topology.vhost('/').bindings[0].arguments).toEqual({ a: 1 });
    await topology.unbind(toQueue('x', 'q1', 'k', { a: 1 }));
    expect(topology.vhost('/').bindings).toEqual([]);
  });
});

describe('propertiesKey', () => {
  it('is the routing key, or ~ for an empty one, when there are no arguments', () => {
    expect(propertiesKey('a.b', {})).toBe('a.b');
    expect(propertiesKey('', {})).toBe('~');
  });

  it('adds a hash of the arguments that ignores key order and tells different arguments apart', () => {
    const key = propertiesKey('k', { a: 1, b: Buffer.from('x') });
    expect(key).toMatch(/^k~[0-9a-z]+$/);
    expect(propertiesKey('k', { b: Buffer.from('x'), a: 1 })).toBe(key);
    expect(propertiesKey('k', { a: 2, b: Buffer.from('x') })).not.toBe(key);
    expect(propertiesKey('k', { a: 1, b: Buffer.from('y') })).not.toBe(key);
    expect(propertiesKey('', { a: 1 })).toMatch(/^~[0-9a-z]+$/);
  });
});
