/**
 * No table bloat: space is reclaimed by dropping whole segments. Once every
 * entry of an older segment is acked (or its queue deleted), its partitions are
 * dropped; a segment with one live entry stays, and that entry survives.
 */
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { amqpPropertiesCodec } from '../../src/amqp/properties-codec';
import type { Message } from '../../src/broker/message/message';
import { createDataSource } from '../../src/store/postgres/data-source';
import { PostgresMessageStore } from '../../src/store/postgres/message-log/postgres-message-store';
import { useTestDatabase } from '../support/test-database';

const health = { available: true, failed: () => undefined, recovered: () => undefined };
const message = (n: number): Message => ({ exchange: '', routingKey: 'q', properties: { deliveryMode: 2 }, body: Buffer.alloc(100, n) });

describe('message log segments', () => {
  const database = useTestDatabase();
  let dataSource: DataSource;
  let pool: Pool;

  beforeAll(async () => {
    dataSource = createDataSource(database.url);
    await dataSource.initialize();
    await dataSource.runMigrations();
    pool = (dataSource.driver as unknown as { master: Pool }).master;
  });
  afterAll(() => dataSource.destroy());

  const partitions = async (): Promise<string[]> =>
    (await pool.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                        JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'messages' ORDER BY 1`)).rows.map((r) => r.relname);

  async function until(condition: () => Promise<boolean>): Promise<void> {
    for (const deadline = Date.now() + 10000; !(await condition()); await new Promise((d) => setTimeout(d, 20))) {
      if (Date.now() > deadline) throw new Error('timed out');
    }
  }

  it('drops a segment once nothing in it is live, and keeps one that still holds a message', async () => {
    const store = new PostgresMessageStore(pool, amqpPropertiesCodec, health, 10);
    await store.open();
    try {
      const queue = await store.queueId('/', 'segmented');
      const results = Array.from({ length: 35 }, (_, i) => store.persist(message(i), [{ queueId: queue, seq: i + 1, priority: 0 }]));
      await Promise.all(results.map((r) => r.committed));
      const segments = [...new Set(results.map((r) => r.ref.segment))];
      expect(segments).toHaveLength(4);
      expect(await partitions()).toHaveLength(4);

      // Ack everything but message 15 (second segment).
      results.forEach((r, i) => i !== 15 && store.acked(queue, r.ref));
      await until(async () => (await partitions()).length === 2);
      expect(await partitions()).toEqual([`messages_s${segments[1]}`, `messages_s${segments[3]}`].sort());

      await store.flush();
      store.close();
      const restarted = new PostgresMessageStore(pool, amqpPropertiesCodec, health, 10);
      await restarted.open();
      const live: number[] = [];
      await restarted.recover((_, entries) => live.push(...entries.map((e) => e.seq)));
      expect(live).toEqual([16]);
      restarted.close();
    } finally {
      store.close();
    }
  });
});
