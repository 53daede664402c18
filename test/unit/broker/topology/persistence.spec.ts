/**
 * What survives a restart (a new TopologyService over the same store) and what
 * a failing store leaves behind: durable changes are stored before they show.
 */
import { TopologyService } from '../../../../src/broker/topology/topology-service';
import { MemoryTopologyStore } from '../../../../src/store/memory/memory-topology-store';
import { message } from '../queue/fixtures';
import { exchange, FailingStore, queue, rejection, routed, startTopology, toExchange, toQueue } from './fixtures';

const names = <T extends { name: string }>(items: Iterable<T>) => [...items].map((i) => i.name).sort();

describe('TopologyService: persistence', () => {
  describe('across a restart', () => {
    let store: MemoryTopologyStore;
    let before: TopologyService;
    beforeEach(async () => {
      store = new MemoryTopologyStore();
      before = await startTopology(store);
    });
    const restart = () => startTopology(store);

    it('keeps durable exchanges with their settings and drops transient ones', async () => {
      await before.declareExchange('/', 'kept', exchange({ type: 'topic', durable: true, internal: true, arguments: { 'alternate-exchange': 'ae', n: 5n } }));
      await before.declareExchange('/', 'lost', exchange({ type: 'fanout' }));
      const after = await restart();
      expect(after.exchange('/', 'kept').settings).toEqual({
        type: 'topic', durable: true, autoDelete: false, internal: true, arguments: { 'alternate-exchange': 'ae', n: 5n },
      });
      expect(after.vhost('/').exchanges.has('lost')).toBe(false);
      expect(after.vhost('/').exchanges.size).toBe(7);
    });

    it('keeps durable queues with their arguments, empty, and drops transient and exclusive ones', async () => {
      const { queue: kept } = await before.declareQueue('/', 'kept', queue({ durable: true, autoDelete: true, arguments: { 'x-max-priority': 4, 'x-custom': [1, 'two'] } }));
      kept.enqueue(message());
      await before.declareQueue('/', 'transient', queue());
      await before.declareQueue('/', 'exclusive', queue({ durable: true, exclusive: true }), { owner: 'conn' });
      const after = await restart();
      expect(names(after.vhost('/').queues.values())).toEqual(['kept']);
      const restored = after.queue('/', 'kept');
      expect(restored.settings).toEqual({ durable: true, exclusive: false, autoDelete: true, arguments: { 'x-max-priority': 4, 'x-custom': [1, 'two'] } });
      expect(restored.ready.maxPriority).toBe(4);
      expect(restored.messageCount).toBe(0);
      expect(restored.owner).toBeUndefined();
    });

    it('keeps the bindings whose both ends are durable, and routes through them', async () => {
      await before.declareExchange('/', 'dx', exchange({ type: 'topic', durable: true }));
      await before.declareExchange('/', 'dx2', exchange({ type: 'fanout', durable: true }));
      await before.declareExchange('/', 'tx', exchange({ type: 'fanout' }));
      await before.declareQueue('/', 'dq', queue({ durable: true }));
      await before.declareQueue('/', 'tq', queue());
      await before.declareQueue('/', 'xq', queue({ durable: true, exclusive: true }), { owner: 'conn' });
      await before.bind(toQueue('dx', 'dq', 'a.#', { 'x-n': 1 }));
      await before.bind(toQueue('amq.direct', 'dq', 'k'));
      await before.bind(toExchange('dx', 'dx2', 'b.*'));
      await before.bind(toQueue('dx2', 'dq'));
      await before.bind(toQueue('dx', 'tq', 't'));
      await before.bind(toQueue('tx', 'dq'));
      await before.bind(toExchange('dx', 'tx', 'c'));
      await before.bind(toExchange('tx', 'dx2'));
      await before.bind(toQueue('dx', 'xq', 'x'), 'conn');

      const durableBindings = [
        toQueue('dx', 'dq', 'a.#', { 'x-n': 1 }),
        toQueue('amq.direct', 'dq', 'k'),
        toExchange('dx', 'dx2', 'b.*'),
        toQueue('dx2', 'dq'),
      ];
      expect((await store.load()).bindings).toEqual(durableBindings);
      const after = await restart();
      expect(after.vhost('/').bindings).toEqual(durableBindings);
      expect(routed(after, 'dx', 'a.b.c')).toEqual(['dq']);
      expect(routed(after, 'dx', 'b.x')).toEqual(['dq']);
      expect(routed(after, 'dx', 't')).toEqual([]);
      expect(routed(after, 'amq.direct', 'k')).toEqual(['dq']);
    });

    it('forgets deleted queues and exchanges, their bindings and unbound bindings', async () => {
      await before.declareExchange('/', 'dx', exchange({ type: 'fanout', durable: true }));
      await before.declareExchange('/', 'gone', exchange({ type: 'fanout', durable: true }));
      await before.declareQueue('/', 'dq', queue({ durable: true }));
      await before.declareQueue('/', 'dq2', queue({ durable: true }));
      await before.bind(toQueue('dx', 'dq'));
      await before.bind(toQueue('dx', 'dq2'));
      await before.bind(toExchange('gone', 'dx'));
      await before.bind(toQueue('gone', 'dq2'));
      await before.deleteQueue('/', 'dq');
      await before.deleteExchange('/', 'gone');
      await before.unbind(toQueue('dx', 'dq2'));

      const after = await restart();
      expect(names(after.vhost('/').queues.values())).toEqual(['dq2']);
      expect(after.vhost('/').exchanges.has('gone')).toBe(false);
      expect(after.vhost('/').bindings).toEqual([]);
    });

    it('forgets a durable auto-delete exchange deleted because it lost its last binding', async () => {
      await before.declareExchange('/', 'ad', exchange({ durable: true, autoDelete: true }));
      await before.declareQueue('/', 'dq', queue({ durable: true }));
      await before.bind(toQueue('ad', 'dq'));
      await before.deleteQueue('/', 'dq');
      const after = await restart();
      expect(after.vhost('/').exchanges.has('ad')).toBe(false);
    });

    it('knows the vhosts the store holds', async () => {
      await store.saveVhost({ name: 'other', description: '', tags: [], defaultQueueType: 'classic' });
      const after = await restart();
      expect(after.vhosts().map((v) => v.name).sort()).toEqual(['/', 'other']);
      expect(after.exchange('other', 'amq.topic').type).toBe('topic');
    });
  });

  describe('when the store fails', () => {
    let store: FailingStore;
    let topology: TopologyService;
    beforeEach(async () => {
      store = new FailingStore();
      topology = await startTopology(store);
      await topology.declareExchange('/', 'dx', exchange({ type: 'fanout', durable: true }));
      await topology.declareQueue('/', 'dq', queue({ durable: true }));
      await topology.bind(toQueue('dx', 'dq'));
      store.failing = true;
    });

    const storeError = async (promise: Promise<unknown>) => expect(promise).rejects.toThrow('store unavailable');

    it('does not declare a durable exchange or queue', async () => {
      await storeError(topology.declareExchange('/', 'x', exchange({ durable: true })));
      await storeError(topology.declareQueue('/', 'q', queue({ durable: true })));
      expect(topology.vhost('/').exchanges.has('x')).toBe(false);
      expect(topology.vhost('/').queues.has('q')).toBe(false);
    });

    it('still declares transient ones, which it does not store', async () => {
      await topology.declareExchange('/', 'tx', exchange());
      await topology.declareQueue('/', 'tq', queue());
      await topology.declareQueue('/', 'xq', queue({ durable: true, exclusive: true }), { owner: 'conn' });
      await topology.bind(toQueue('dx', 'tq'));
      expect(names(topology.vhost('/').queues.values())).toEqual(['dq', 'tq', 'xq']);
      expect(store.writes).toBe(3);
    });

    it('does not bind or unbind durable ends', async () => {
      await storeError(topology.bind(toQueue('amq.direct', 'dq', 'k')));
      expect(routed(topology, 'amq.direct', 'k')).toEqual([]);
      await storeError(topology.unbind(toQueue('dx', 'dq')));
      expect(routed(topology, 'dx', '')).toEqual(['dq']);
      expect(topology.vhost('/').bindings).toEqual([toQueue('dx', 'dq')]);
    });

    it('does not delete a durable queue or exchange', async () => {
      topology.queue('/', 'dq').enqueue(message());
      await storeError(topology.deleteQueue('/', 'dq'));
      await storeError(topology.deleteExchange('/', 'dx'));
      expect(topology.queue('/', 'dq').messageCount).toBe(1);
      expect(topology.queue('/', 'dq').isDeleted).toBe(false);
      expect(routed(topology, 'dx', '')).toEqual(['dq']);
      expect(topology.vhost('/').bindings).toHaveLength(1);
    });

    it('works again once the store is back', async () => {
      await storeError(topology.declareExchange('/', 'x', exchange({ durable: true })));
      store.failing = false;
      await topology.declareExchange('/', 'x', exchange({ durable: true }));
      const after = await startTopology(store);
      expect(after.exchange('/', 'x').durable).toBe(true);
    });
  });
});
