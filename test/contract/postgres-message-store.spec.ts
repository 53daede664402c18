import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { amqpPropertiesCodec } from '../../src/amqp/properties-codec';
import { createDataSource } from '../../src/store/postgres/data-source';
import { PostgresMessageStore } from '../../src/store/postgres/message-log/postgres-message-store';
import { createTestDatabase } from '../support/test-database';
import { messageStoreContract } from './message-store.contract';

const health = { available: true, failed: () => undefined, recovered: () => undefined };
const sources: { dataSource: DataSource; drop: () => Promise<void> }[] = [];
const stores: PostgresMessageStore[] = [];
const poolOf = new WeakMap<PostgresMessageStore, Pool>();

async function open(pool: Pool): Promise<PostgresMessageStore> {
  const store = new PostgresMessageStore(pool, amqpPropertiesCodec, health);
  await store.open();
  stores.push(store);
  poolOf.set(store, pool);
  return store;
}

afterAll(async () => {
  for (const store of stores) store.close();
  for (const { dataSource, drop } of sources) {
    await dataSource.destroy();
    await drop();
  }
});

messageStoreContract('postgres', {
  fresh: async () => {
    const database = await createTestDatabase();
    const dataSource = createDataSource(database.url);
    await dataSource.initialize();
    await dataSource.runMigrations();
    sources.push({ dataSource, drop: database.drop });
    return open((dataSource.driver as unknown as { master: Pool }).master);
  },
  restart: async (previous) => {
    const store = previous as PostgresMessageStore;
    await store.flush();
    store.close();
    return open(poolOf.get(store)!);
  },
});
