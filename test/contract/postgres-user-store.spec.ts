/** The user and vhost-limit store contracts on PostgreSQL, plus the cascades its foreign keys make. */
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/store/postgres/data-source';
import { PostgresTopologyStore } from '../../src/store/postgres/postgres-topology-store';
import { PostgresUserStore } from '../../src/store/postgres/postgres-user-store';
import { PostgresVhostLimitStore } from '../../src/store/postgres/postgres-vhost-limit-store';
import { useTestDatabase } from '../support/test-database';
import { userStoreContract, vhostLimitStoreContract } from './user-store.contract';

describe('on a fresh database', () => {
  const database = useTestDatabase();
  let dataSource: DataSource;

  describe('PostgreSQL user and limit stores', () => {
    beforeAll(async () => {
      dataSource = createDataSource(database.url, { poolSize: 2 });
      await dataSource.initialize();
      await dataSource.runMigrations();
    });
    afterAll(() => dataSource.destroy());

    const reset = async () => {
      await dataSource.query('TRUNCATE users, user_permissions, topic_permissions, vhost_limits');
      await dataSource.query(`DELETE FROM vhosts WHERE name <> '/'`);
    };
    const createVhost = (name: string) => new PostgresTopologyStore(dataSource).saveVhost({ name, description: '', tags: [], defaultQueueType: 'classic' });

    describe('PostgresUserStore', () => {
      userStoreContract(async () => {
        await reset();
        return { store: new PostgresUserStore(dataSource), createVhost };
      });
    });

    describe('PostgresVhostLimitStore', () => {
      vhostLimitStoreContract(async () => {
        await reset();
        return { store: new PostgresVhostLimitStore(dataSource), createVhost };
      });
    });

    it("deleting a vhost from the topology store takes its permissions and limits along (foreign keys)", async () => {
      await reset();
      const users = new PostgresUserStore(dataSource);
      const limits = new PostgresVhostLimitStore(dataSource);
      await createVhost('doomed');
      await users.saveUser({ name: 'a', passwordHash: '', hashingAlgorithm: 'rabbit_password_hashing_sha256', tags: [] });
      await users.savePermission({ user: 'a', vhost: 'doomed', configure: '', write: '', read: '' });
      await users.saveTopicPermission({ user: 'a', vhost: 'doomed', exchange: 'x', write: '', read: '' });
      await limits.save('doomed', { 'max-queues': 1 });
      await new PostgresTopologyStore(dataSource).deleteVhost('doomed');
      expect(await users.load()).toMatchObject({ permissions: [], topicPermissions: [] });
      expect(await limits.load()).toEqual(new Map());
    });
  });
});
