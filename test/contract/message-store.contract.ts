/**
 * One contract for every MessageStore: what is committed comes back after a
 * restart, acked and purged entries do not, delivered ones come back marked,
 * and bodies and properties come back byte for byte.
 */
import { amqpPropertiesCodec } from '../../src/amqp/properties-codec';
import type { Message } from '../../src/broker/message/message';
import { MessageStore, RecoveredEntry, refKey } from '../../src/broker/ports/message-store';

export interface StoreHarness {
  /** A store over fresh, empty storage. */
  fresh(): Promise<MessageStore>;
  /** A new store over the same storage, as after a restart (the old one is flushed first). */
  restart(previous: MessageStore): Promise<MessageStore>;
}

const message = (n: number): Message => {
  const properties = { deliveryMode: 2, priority: n % 3, headers: { n, tag: 'contract' }, contentType: 'text/plain' };
  return {
    exchange: 'ex', routingKey: `key.${n}`, body: Buffer.from(`body ${n} \u00e9\u0000\u00ff`),
    properties, encodedProperties: amqpPropertiesCodec.encode(properties),
  };
};

async function recoverAll(store: MessageStore): Promise<Map<number, RecoveredEntry[]>> {
  const found = new Map<number, RecoveredEntry[]>();
  await store.recover((queueId, entries) => found.set(queueId, [...(found.get(queueId) ?? []), ...entries]));
  for (const entries of found.values()) entries.sort((a, b) => a.seq - b.seq);
  return found;
}

export function messageStoreContract(name: string, harness: StoreHarness): void {
  describe(`MessageStore contract: ${name}`, () => {
    it('gives a durable queue the same id after a restart, and another queue another id', async () => {
      const store = await harness.fresh();
      const a = await store.queueId('/', 'a');
      expect(await store.queueId('/', 'a')).toBe(a);
      expect(await store.queueId('/', 'b')).not.toBe(a);
      expect(await store.queueId('other', 'a')).not.toBe(a);
      const again = await harness.restart(store);
      expect(await again.queueId('/', 'a')).toBe(a);
    });

    it('recovers committed entries in order, with bodies, properties and routing byte for byte', async () => {
      const store = await harness.fresh();
      const queue = await store.queueId('/', 'q');
      const results = [1, 2, 3].map((n) => store.persist(message(n), [{ queueId: queue, seq: n, priority: n % 3 }]));
      await Promise.all(results.map((r) => r.committed));
      const restarted = await harness.restart(store);
      const entries = (await recoverAll(restarted)).get(queue)!;
      expect(entries.map((e) => [e.seq, e.priority, e.delivered])).toEqual([[1, 1, false], [2, 2, false], [3, 0, false]]);
      expect(entries[0].bodySize).toBe(message(1).body.length);
      const loaded = await restarted.load(entries.map((e) => e.ref));
      for (const [i, entry] of entries.entries()) {
        const original = message(i + 1);
        const back = loaded.get(refKey(entry.ref))!;
        expect(back.body.equals(original.body)).toBe(true);
        expect(back.encodedProperties!.equals(original.encodedProperties!)).toBe(true);
        expect(back.properties).toEqual(original.properties);
        expect(back).toMatchObject({ exchange: 'ex', routingKey: `key.${i + 1}` });
      }
    });

    it('does not bring back acked entries, and brings back delivered ones marked delivered', async () => {
      const store = await harness.fresh();
      const queue = await store.queueId('/', 'acks');
      const [one, two, three] = [1, 2, 3].map((n) => store.persist(message(n), [{ queueId: queue, seq: n, priority: 0 }]));
      await Promise.all([one, two, three].map((r) => r.committed));
      store.delivered(queue, one.ref);
      store.delivered(queue, two.ref);
      store.acked(queue, two.ref);
      const restarted = await harness.restart(store);
      const entries = (await recoverAll(restarted)).get(queue)!;
      expect(entries.map((e) => [e.seq, e.delivered])).toEqual([[1, true], [3, false]]);
    });

    it('records deliveries and acks of recovered entries even when nothing new is published', async () => {
      const store = await harness.fresh();
      const queue = await store.queueId('/', 'after-restart');
      const results = [1, 2].map((n) => store.persist(message(n), [{ queueId: queue, seq: n, priority: 0 }]));
      await Promise.all(results.map((r) => r.committed));
      const restarted = await harness.restart(store);
      const entries = (await recoverAll(restarted)).get(queue)!;
      restarted.delivered(queue, entries[0].ref);
      restarted.acked(queue, entries[1].ref);
      const again = (await recoverAll(await harness.restart(restarted))).get(queue)!;
      expect(again.map((e) => [e.seq, e.delivered])).toEqual([[1, true]]);
    });

    it('stores a message routed to two queues once, and tracks each queue entry on its own', async () => {
      const store = await harness.fresh();
      const a = await store.queueId('/', 'fan.a');
      const b = await store.queueId('/', 'fan.b');
      const result = store.persist(message(7), [{ queueId: a, seq: 1, priority: 0 }, { queueId: b, seq: 4, priority: 0 }]);
      await result.committed;
      store.acked(a, result.ref);
      const restarted = await harness.restart(store);
      const recovered = await recoverAll(restarted);
      expect(recovered.get(a)).toBeUndefined();
      expect(recovered.get(b)!.map((e) => e.seq)).toEqual([4]);
      const loaded = await restarted.load([result.ref]);
      expect(loaded.get(refKey(result.ref))!.body.equals(message(7).body)).toBe(true);
    });

    it('forgets the entries of a deleted queue, even when a queue of the same name comes back', async () => {
      const store = await harness.fresh();
      const old = await store.queueId('/', 'reborn');
      await store.persist(message(1), [{ queueId: old, seq: 1, priority: 0 }]).committed;
      await store.forgetQueue(old);
      const reborn = await store.queueId('/', 'reborn');
      expect(reborn).not.toBe(old);
      await store.persist(message(2), [{ queueId: reborn, seq: 1, priority: 0 }]).committed;
      const recovered = await recoverAll(await harness.restart(store));
      expect(recovered.get(old)).toBeUndefined();
      expect(recovered.get(reborn)!.map((e) => e.ref.messageId)).toHaveLength(1);
    });

    it('does not bring back entries a purge removed, but keeps later ones', async () => {
      const store = await harness.fresh();
      const queue = await store.queueId('/', 'purged');
      const before = [1, 2].map((n) => store.persist(message(n), [{ queueId: queue, seq: n, priority: 0 }]));
      await Promise.all(before.map((r) => r.committed));
      await store.purgeQueue(queue, before.map((r) => r.ref));
      await store.persist(message(3), [{ queueId: queue, seq: 3, priority: 0 }]).committed;
      const restarted = await harness.restart(store);
      const recovered = await recoverAll(restarted);
      expect(recovered.get(queue)!.map((e) => e.seq)).toEqual([3]);
      expect(await restarted.queueId('/', 'purged')).toBe(queue);
    });

    it('keeps entries that were out with a consumer during a purge (they may be requeued later)', async () => {
      const store = await harness.fresh();
      const queue = await store.queueId('/', 'purged-while-out');
      const results = [1, 2, 3].map((n) => store.persist(message(n), [{ queueId: queue, seq: n, priority: 0 }]));
      await Promise.all(results.map((r) => r.committed));
      for (const { ref } of results.slice(0, 2)) store.delivered(queue, ref);
      // Only the third was ready when the purge came; the first two were with a consumer.
      await store.purgeQueue(queue, [results[2].ref]);
      const restarted = await harness.restart(store);
      const entries = (await recoverAll(restarted)).get(queue)!;
      expect(entries.map((e) => [e.seq, e.delivered])).toEqual([[1, true], [2, true]]);
    });

    it('stores exchange names and routing keys byte for byte, NUL included', async () => {
      const store = await harness.fresh();
      const queue = await store.queueId('/', 'nul');
      const odd = { ...message(9), exchange: 'ex\u0000change', routingKey: 'key\u0000with nul \u00e9' };
      const result = store.persist(odd, [{ queueId: queue, seq: 1, priority: 0 }]);
      await result.committed;
      const restarted = await harness.restart(store);
      const loaded = await restarted.load([result.ref]);
      expect(loaded.get(refKey(result.ref))).toMatchObject({ exchange: 'ex\u0000change', routingKey: 'key\u0000with nul \u00e9' });
    });

    it('gives queues whose names hold NUL their own ids', async () => {
      const store = await harness.fresh();
      const a = await store.queueId('/', 'a\u0000b');
      const b = await store.queueId('/', 'a\u0000c');
      expect(a).not.toBe(b);
      expect(await (await harness.restart(store)).queueId('/', 'a\u0000b')).toBe(a);
    });
  });
}
