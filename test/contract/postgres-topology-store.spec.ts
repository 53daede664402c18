/**
 * The topology store contract on PostgreSQL, plus what only PostgreSQL has:
 * migrations that go down and up again, and a TopologyService restarting on a new connection.
 */
import { DataSource } from 'typeorm';
import { TopologyService } from '../../src/broker/topology/topology-service';
import { createDataSource } from '../../src/store/postgres/data-source';
import { PostgresTopologyStore } from '../../src/store/postgres/postgres-topology-store';
import { useTestDatabase } from '../support/test-database';
import { topologyStoreContract } from './topology-store.contract';

const TABLES = ['vhosts', 'exchanges', 'queues', 'bindings'];

describe('on a fresh database', () => {
  const database = useTestDatabase();

  describe('PostgresTopologyStore', () => {
    const open: DataSource[] = [];

    async function connect(): Promise<DataSource> {
      const dataSource = createDataSource(database.url, { poolSize: 2 });
      await dataSource.initialize();
      open.push(dataSource);
      return dataSource;
    }

    let dataSource: DataSource;
    beforeAll(async () => {
      dataSource = await connect();
      await dataSource.runMigrations();
    });
    // In a describe inside useTestDatabase's, so it runs first: connections close before the database is dropped.
    afterAll(async () => {
      for (const each of open) if (each.isInitialized) await each.destroy();
    });

    describe('contract', () => {
      topologyStoreContract(async () => {
        await dataSource.query('TRUNCATE bindings, queues, exchanges');
        await dataSource.query(`DELETE FROM vhosts WHERE name <> '/'`);
        return new PostgresTopologyStore(dataSource);
      });
    });

    describe('migrations', () => {
      const tables = async (): Promise<string[]> => {
        const rows: { name: string }[] = await dataSource.query(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
        );
        return rows.map((r) => r.name);
      };
      const executed = async (): Promise<number> => (await dataSource.query('SELECT count(*)::int AS n FROM migrations'))[0].n;

      it('all go down, leaving no table behind, and up again to a working schema', async () => {
        expect(await tables()).toEqual(expect.arrayContaining(TABLES));
        while ((await executed()) > 1) await dataSource.undoLastMigration();
        // Only CreateVhosts is left: the topology migration's down() took its tables.
        expect(await tables()).toEqual(['vhosts']);
        await dataSource.undoLastMigration();
        expect(await tables()).toEqual([]);
        await dataSource.runMigrations();
        expect(await tables()).toEqual(expect.arrayContaining(TABLES));

        const store = new PostgresTopologyStore(dataSource);
        await store.saveExchange({ vhost: '/', name: 'x', type: 'fanout', durable: true, autoDelete: false, internal: false, arguments: {} });
        await store.saveQueue({ vhost: '/', name: 'q', durable: true, exclusive: false, autoDelete: false, arguments: {} });
        await store.saveBinding({ vhost: '/', source: 'x', destination: 'q', destinationKind: 'queue', routingKey: '', arguments: {} });
        const snapshot = await store.load();
        expect([snapshot.vhosts.map((v) => v.name), snapshot.exchanges.length, snapshot.queues.length, snapshot.bindings.length]).toEqual([['/'], 1, 1, 1]);
        await dataSource.query('TRUNCATE bindings, queues, exchanges');
      });
    });

    describe('under a TopologyService', () => {
      it('keeps durable topology, and only durable topology, across a restart on a new connection', async () => {
        const before = new TopologyService(new PostgresTopologyStore(dataSource));
        await before.start();
        await before.declareExchange('/', 'events', { type: 'topic', durable: true, autoDelete: false, internal: false, arguments: { 'alternate-exchange': 'ae' } });
        await before.declareExchange('/', 'scratch', { type: 'fanout', durable: false, autoDelete: false, internal: false, arguments: {} });
        await before.declareQueue('/', 'orders', { durable: true, exclusive: false, autoDelete: false, arguments: { 'x-max-priority': 9, 'x-big': 2n ** 60n } });
        await before.declareQueue('/', 'temp', { durable: false, exclusive: false, autoDelete: false, arguments: {} });
        await before.bind({ vhost: '/', source: 'events', destination: 'orders', destinationKind: 'queue', routingKey: 'order.#', arguments: { b: Buffer.from('x') } });
        await before.bind({ vhost: '/', source: 'events', destination: 'temp', destinationKind: 'queue', routingKey: '#', arguments: {} });
        await before.bind({ vhost: '/', source: 'amq.topic', destination: 'events', destinationKind: 'exchange', routingKey: '#', arguments: {} });

        const after = new TopologyService(new PostgresTopologyStore(await connect()));
        await after.start();
        const vhost = after.vhost('/');
        expect(vhost.exchanges.has('scratch')).toBe(false);
        expect(vhost.queues.has('temp')).toBe(false);
        expect(after.exchange('/', 'events').settings.arguments).toStrictEqual({ 'alternate-exchange': 'ae' });
        expect(after.queue('/', 'orders').settings.arguments).toStrictEqual({ 'x-max-priority': 9, 'x-big': 2n ** 60n });
        expect(vhost.bindings).toStrictEqual([
          { vhost: '/', source: 'events', destination: 'orders', destinationKind: 'queue', routingKey: 'order.#', arguments: { b: Buffer.from('x') } },
          { vhost: '/', source: 'amq.topic', destination: 'events', destinationKind: 'exchange', routingKey: '#', arguments: {} },
        ]);

        await after.unbind({ vhost: '/', source: 'events', destination: 'orders', destinationKind: 'queue', routingKey: 'order.#', arguments: { b: Buffer.from('x') } });
        await after.deleteExchange('/', 'events');
        const third = new TopologyService(new PostgresTopologyStore(dataSource));
        await third.start();
        expect(third.vhost('/').exchanges.has('events')).toBe(false);
        expect(third.vhost('/').bindings).toEqual([]);
        expect(third.queue('/', 'orders').durable).toBe(true);
      });
    });
  });
});
