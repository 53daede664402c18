/**
 * The one contract every TopologyStore keeps, run against each implementation
 * (memory-topology-store.spec.ts, postgres-topology-store.spec.ts) so they cannot drift.
 * `fresh` gives a store holding only what a new installation holds.
 */
import type { ExchangeRecord, QueueRecord, TopologyStore, VhostRecord } from '../../src/broker/ports/topology-store';
import { DEFAULT_VHOST_RECORD } from '../../src/store/memory/memory-topology-store';
import type { Binding } from '../../src/broker/topology/binding';

/** A table that happens to look like the store's own encoding of special values. */
const lookalikes = { $bytes: 'AAEC', $bigint: '5', $date: '2020-01-01T00:00:00.000Z', $table: {}, $number: 'NaN', $string: 'YQ==', $pairs: [['a', 1]] };

/** Every kind of value an AMQP field table can carry, as the codec hands them to the core. */
export const RICH_ARGUMENTS: Record<string, unknown> = {
  text: 'text é 😀',
  nul: 'a\u0000b',
  empty: '',
  int: 42,
  negative: -7,
  float: 1.5,
  maxInt64: 2n ** 63n - 1n,
  minInt64: -(2n ** 63n),
  justBeyondDouble: 2n ** 53n + 1n,
  yes: true,
  no: false,
  void: null,
  bytes: Buffer.from([0, 1, 2, 255]),
  noBytes: Buffer.alloc(0),
  date: new Date('2024-05-06T07:08:09.123Z'),
  table: { nested: { deeper: [1, 'two', { three: 3n ** 40n }] }, bytes: Buffer.from('x'), empty: {} },
  array: [1, 'a', Buffer.from('b'), new Date(0), [true, null], {}, []],
  decimal: { type: 'D', value: { scale: 2, digits: 12345 } },
  notANumber: Number.NaN,
  infinite: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  ...Object.fromEntries(Object.entries(lookalikes).map(([k, v]) => [`lookalike${k}`, { [k]: v }])),
  lookalikes,
  // A key that a careless copy (`copy[key] = value`) would turn into a prototype.
  ...JSON.parse('{"__proto__": "an own key"}'),
};

const exchangeRecord = (name: string, overrides: Partial<ExchangeRecord> = {}): ExchangeRecord => ({
  vhost: '/', name, type: 'direct', durable: true, autoDelete: false, internal: false, arguments: {}, ...overrides,
});

const queueRecord = (name: string, overrides: Partial<QueueRecord> = {}): QueueRecord => ({
  vhost: '/', name, durable: true, exclusive: false, autoDelete: false, arguments: {}, ...overrides,
});

const binding = (source: string, destination: string, overrides: Partial<Binding> = {}): Binding => ({
  vhost: '/', source, destination, destinationKind: 'queue', routingKey: '', arguments: {}, ...overrides,
});

const vhostRecord = (name: string, overrides: Partial<VhostRecord> = {}): VhostRecord => ({
  name, description: '', tags: [], defaultQueueType: 'classic', ...overrides,
});

const vhostNames = (vhosts: VhostRecord[]) => vhosts.map((vhost) => vhost.name).sort();

const byName = <T extends { vhost: string; name: string }>(records: T[]) =>
  [...records].sort((a, b) => `${a.vhost}/${a.name}`.localeCompare(`${b.vhost}/${b.name}`));

export function topologyStoreContract(fresh: () => Promise<TopologyStore>): void {
  let store: TopologyStore;
  beforeEach(async () => {
    store = await fresh();
  });

  it('starts with the default vhost and nothing else', async () => {
    expect(await store.load()).toStrictEqual({ vhosts: [DEFAULT_VHOST_RECORD], exchanges: [], queues: [], bindings: [] });
  });

  describe('vhosts', () => {
    it('saves idempotently and deletes', async () => {
      await store.saveVhost(vhostRecord('v1'));
      await store.saveVhost(vhostRecord('v1'));
      await store.saveVhost(vhostRecord('v2'));
      expect(vhostNames((await store.load()).vhosts)).toEqual(['/', 'v1', 'v2']);
      await store.deleteVhost('v1');
      await store.deleteVhost('never-saved');
      expect(vhostNames((await store.load()).vhosts)).toEqual(['/', 'v2']);
    });

    it('keeps their settings, and saving again replaces them', async () => {
      await store.saveVhost(vhostRecord('v1', { description: 'first', tags: ['a', 'b'] }));
      expect((await store.load()).vhosts.find((v) => v.name === 'v1')).toStrictEqual(vhostRecord('v1', { description: 'first', tags: ['a', 'b'] }));
      await store.saveVhost(vhostRecord('v1', { description: 'second é', tags: [] }));
      expect((await store.load()).vhosts.find((v) => v.name === 'v1')).toStrictEqual(vhostRecord('v1', { description: 'second é', tags: [] }));
    });

    it('deleting one takes its exchanges, queues and bindings along, and leaves other vhosts alone', async () => {
      for (const vhost of ['v1', 'v2']) {
        await store.saveVhost(vhostRecord(vhost));
        await store.saveExchange(exchangeRecord('x', { vhost }));
        await store.saveQueue(queueRecord('q', { vhost }));
        await store.saveBinding(binding('x', 'q', { vhost }));
      }
      await store.deleteVhost('v1');
      const snapshot = await store.load();
      expect(snapshot.exchanges).toStrictEqual([exchangeRecord('x', { vhost: 'v2' })]);
      expect(snapshot.queues).toStrictEqual([queueRecord('q', { vhost: 'v2' })]);
      expect(snapshot.bindings).toStrictEqual([binding('x', 'q', { vhost: 'v2' })]);
    });
  });

  describe('exchanges', () => {
    it('saves every type with all its settings and loads them back', async () => {
      const records = [
        exchangeRecord('d', { type: 'direct' }),
        exchangeRecord('f', { type: 'fanout', autoDelete: true }),
        exchangeRecord('t', { type: 'topic', internal: true }),
        exchangeRecord('h', { type: 'headers', arguments: { 'alternate-exchange': 'ae' } }),
      ];
      for (const record of records) await store.saveExchange(record);
      expect(byName((await store.load()).exchanges)).toStrictEqual(byName(records));
    });

    it('saving an existing exchange again replaces its settings', async () => {
      await store.saveExchange(exchangeRecord('x'));
      await store.saveExchange(exchangeRecord('x', { type: 'topic', internal: true, arguments: { a: 1 } }));
      expect((await store.load()).exchanges).toStrictEqual([exchangeRecord('x', { type: 'topic', internal: true, arguments: { a: 1 } })]);
    });

    it('tells exchanges of the same name in different vhosts apart', async () => {
      await store.saveVhost(vhostRecord('v1'));
      await store.saveExchange(exchangeRecord('x'));
      await store.saveExchange(exchangeRecord('x', { vhost: 'v1', type: 'fanout' }));
      await store.deleteExchange('/', 'x');
      expect((await store.load()).exchanges).toStrictEqual([exchangeRecord('x', { vhost: 'v1', type: 'fanout' })]);
    });

    it('deletes, and deleting a missing one is harmless', async () => {
      await store.saveExchange(exchangeRecord('x'));
      await store.deleteExchange('/', 'x');
      await store.deleteExchange('/', 'x');
      expect((await store.load()).exchanges).toEqual([]);
    });

    it('keeps every kind of argument value exactly', async () => {
      await store.saveExchange(exchangeRecord('x', { arguments: RICH_ARGUMENTS }));
      expect((await store.load()).exchanges[0].arguments).toStrictEqual(RICH_ARGUMENTS);
    });
  });

  describe('queues', () => {
    it('saves with all their settings and loads them back', async () => {
      const records = [
        queueRecord('a'),
        queueRecord('b', { autoDelete: true, arguments: { 'x-max-priority': 10, 'x-custom': ['kept'] } }),
        queueRecord('c', { durable: false, exclusive: true }),
      ];
      for (const record of records) await store.saveQueue(record);
      expect(byName((await store.load()).queues)).toStrictEqual(byName(records));
    });

    it('saving an existing queue again replaces its settings', async () => {
      await store.saveQueue(queueRecord('q'));
      await store.saveQueue(queueRecord('q', { autoDelete: true, arguments: { 'x-max-priority': 2 } }));
      expect((await store.load()).queues).toStrictEqual([queueRecord('q', { autoDelete: true, arguments: { 'x-max-priority': 2 } })]);
    });

    it('deletes, and deleting a missing one is harmless', async () => {
      await store.saveQueue(queueRecord('q'));
      await store.saveQueue(queueRecord('other'));
      await store.deleteQueue('/', 'q');
      await store.deleteQueue('/', 'q');
      expect((await store.load()).queues).toStrictEqual([queueRecord('other')]);
    });

    it('keeps every kind of argument value exactly', async () => {
      await store.saveQueue(queueRecord('q', { arguments: RICH_ARGUMENTS }));
      expect((await store.load()).queues[0].arguments).toStrictEqual(RICH_ARGUMENTS);
    });

    it('holds names of 255 bytes of UTF-8', async () => {
      const name = '€'.repeat(85);
      await store.saveQueue(queueRecord(name));
      await store.saveExchange(exchangeRecord(name));
      await store.saveBinding(binding(name, name, { routingKey: 'ж'.repeat(127) }));
      const snapshot = await store.load();
      expect([snapshot.queues[0].name, snapshot.exchanges[0].name, snapshot.bindings[0].routingKey])
        .toEqual([name, name, 'ж'.repeat(127)]);
    });

    it('holds names, routing keys and argument keys with NUL in them, and deletes them again', async () => {
      const name = 'a\u0000b';
      await store.saveQueue(queueRecord(name, { arguments: { 'key\u0000with nul': 'value\u0000', nested: { 'k\u0000': 1 } } }));
      await store.saveExchange(exchangeRecord(name));
      await store.saveBinding(binding(name, name, { routingKey: 'rk\u0000' }));
      const snapshot = await store.load();
      expect([snapshot.queues[0].name, snapshot.exchanges[0].name, snapshot.bindings[0].routingKey]).toEqual([name, name, 'rk\u0000']);
      expect(snapshot.queues[0].arguments).toStrictEqual({ 'key\u0000with nul': 'value\u0000', nested: { 'k\u0000': 1 } });
      await store.deleteBinding(binding(name, name, { routingKey: 'rk\u0000' }));
      await store.deleteQueue('/', name);
      await store.deleteExchange('/', name);
      expect(await store.load()).toMatchObject({ queues: [], exchanges: [], bindings: [] });
    });
  });

  describe('bindings', () => {
    beforeEach(async () => {
      await store.saveExchange(exchangeRecord('x', { type: 'topic' }));
      await store.saveExchange(exchangeRecord('y', { type: 'fanout' }));
      await store.saveQueue(queueRecord('q'));
    });

    it('saves exchange-to-queue and exchange-to-exchange bindings and loads them in the order saved', async () => {
      const saved = [
        binding('x', 'q', { routingKey: 'a.#' }),
        binding('x', 'y', { destinationKind: 'exchange', routingKey: '*.b', arguments: { 'x-note': 'e2e' } }),
        binding('y', 'q'),
        binding('amq.direct', 'q', { routingKey: 'q' }),
      ];
      for (const b of saved) await store.saveBinding(b);
      expect((await store.load()).bindings).toStrictEqual(saved);
    });

    it('keeps every kind of argument value exactly', async () => {
      await store.saveBinding(binding('x', 'q', { arguments: RICH_ARGUMENTS }));
      expect((await store.load()).bindings[0].arguments).toStrictEqual(RICH_ARGUMENTS);
    });

    it('keeps one binding when the same one is saved twice, arguments in any key order', async () => {
      await store.saveBinding(binding('x', 'q', { routingKey: 'k', arguments: { a: 1, b: { c: [Buffer.from('d')] } } }));
      await store.saveBinding(binding('x', 'q', { routingKey: 'k', arguments: { b: { c: [Buffer.from('d')] }, a: 1 } }));
      await store.saveBinding(binding('x', 'y', { destinationKind: 'exchange' }));
      await store.saveBinding(binding('x', 'y', { destinationKind: 'exchange' }));
      expect((await store.load()).bindings).toHaveLength(2);
    });

    it('tells bindings apart by every part of their identity', async () => {
      const distinct = [
        binding('x', 'q'),
        binding('y', 'q'),
        binding('x', 'q', { routingKey: 'k' }),
        binding('x', 'q', { arguments: { a: 1 } }),
        binding('x', 'q', { arguments: { a: 2 } }),
        binding('x', 'q', { destinationKind: 'exchange' }),
      ];
      for (const b of distinct) await store.saveBinding(b);
      expect((await store.load()).bindings).toStrictEqual(distinct);
    });

    it('compares argument values as the topology does: integers by value, strings as their bytes, nothing else across types', async () => {
      const variants: Record<string, unknown>[] = [
        { a: 5 }, { a: 5n },
        { a: 'x' }, { a: Buffer.from('x') },
        { a: new Date(0) }, { a: '1970-01-01T00:00:00.000Z' },
        { a: null }, { a: 'null' },
        { a: 1.5 }, { a: '1.5' },
        { a: true }, { a: 'true' },
        { a: [1] }, { a: { 0: 1 } },
      ];
      for (const args of variants) await store.saveBinding(binding('x', 'q', { arguments: args }));
      const kept = (await store.load()).bindings.map((b) => b.arguments.a);
      expect(kept).toStrictEqual([5, 'x', new Date(0), '1970-01-01T00:00:00.000Z', null, 'null', 1.5, '1.5', true, 'true', [1], { 0: 1 }]);
      for (const args of variants) await store.deleteBinding(binding('x', 'q', { arguments: args }));
      expect((await store.load()).bindings).toEqual([]);
    });

    it('deletes exactly the binding given, recognising its arguments in any key order', async () => {
      await store.saveBinding(binding('x', 'q', { routingKey: 'k', arguments: { a: 1, b: 2 } }));
      await store.saveBinding(binding('x', 'q', { routingKey: 'k' }));
      await store.saveBinding(binding('x', 'q', { routingKey: 'j', arguments: { a: 1, b: 2 } }));
      await store.deleteBinding(binding('x', 'q', { routingKey: 'k', arguments: { b: 2, a: 1 } }));
      await store.deleteBinding(binding('x', 'q', { routingKey: 'never' }));
      expect((await store.load()).bindings).toStrictEqual([
        binding('x', 'q', { routingKey: 'k' }),
        binding('x', 'q', { routingKey: 'j', arguments: { a: 1, b: 2 } }),
      ]);
    });

    it('deleting a queue removes the bindings to it, and only those', async () => {
      await store.saveVhost(vhostRecord('v1'));
      await store.saveBinding(binding('x', 'q', { routingKey: 'one' }));
      await store.saveBinding(binding('y', 'q', { routingKey: 'two' }));
      await store.saveBinding(binding('x', 'q', { destinationKind: 'exchange', routingKey: 'exchange named q' }));
      await store.saveBinding(binding('x', 'q', { vhost: 'v1', routingKey: 'other vhost' }));
      await store.saveBinding(binding('q', 'y', { destinationKind: 'exchange', routingKey: 'from an exchange named q' }));
      await store.deleteQueue('/', 'q');
      expect((await store.load()).bindings.map((b) => b.routingKey)).toEqual(['exchange named q', 'other vhost', 'from an exchange named q']);
    });

    it('deleting an exchange removes the bindings from it and to it, and only those', async () => {
      await store.saveVhost(vhostRecord('v1'));
      await store.saveBinding(binding('x', 'q', { routingKey: 'from x' }));
      await store.saveBinding(binding('y', 'x', { destinationKind: 'exchange', routingKey: 'to x' }));
      await store.saveBinding(binding('y', 'x', { routingKey: 'to a queue named x' }));
      await store.saveBinding(binding('x', 'q', { vhost: 'v1', routingKey: 'other vhost' }));
      await store.saveBinding(binding('y', 'q', { routingKey: 'unrelated' }));
      await store.deleteExchange('/', 'x');
      expect((await store.load()).bindings.map((b) => b.routingKey)).toEqual(['to a queue named x', 'other vhost', 'unrelated']);
    });
  });

  describe('copies', () => {
    it('are what load returns: changing a snapshot changes nothing stored', async () => {
      await store.saveExchange(exchangeRecord('x', { arguments: { list: [1] } }));
      await store.saveBinding(binding('x', 'q', { arguments: { a: 1 } }));
      const first = await store.load();
      (first.exchanges[0].arguments.list as number[]).push(2);
      first.bindings[0].arguments.a = 2;
      first.vhosts.push(vhostRecord('made-up'));
      first.vhosts[0].tags.push('changed');
      const second = await store.load();
      expect(second.exchanges[0].arguments).toStrictEqual({ list: [1] });
      expect(second.bindings[0].arguments).toStrictEqual({ a: 1 });
      expect(second.vhosts).toStrictEqual([DEFAULT_VHOST_RECORD]);
    });

    it('are what save keeps: changing a saved record afterwards changes nothing stored', async () => {
      const record = queueRecord('q', { arguments: { nested: { a: 1 } } });
      await store.saveQueue(record);
      (record.arguments.nested as Record<string, number>).a = 2;
      record.durable = false;
      expect((await store.load()).queues).toStrictEqual([queueRecord('q', { arguments: { nested: { a: 1 } } })]);
    });
  });
}
