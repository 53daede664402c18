/**
 * Upgrading a database written before issue 9: its purge floors become explicit
 * dead marks for entries that were certainly ready at the purge (never delivered),
 * entries that may have been out with a consumer stay live, and names become bytes.
 */
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from '../../src/store/postgres/entities';
import { useTestDatabase } from '../support/test-database';

const dataSourceWith = (url: string, migrations: typeof MIGRATIONS) =>
  new DataSource({ type: 'postgres', url, entities: ENTITIES, migrations, migrationsTableName: 'migrations', logging: ['error'] });

describe('migration ByteExactNamesAndExplicitPurges', () => {
  const database = useTestDatabase();

  it('turns a purge floor into dead marks for never-delivered entries and keeps the rest', async () => {
    const before = dataSourceWith(database.url, MIGRATIONS.slice(0, 3));
    await before.initialize();
    await before.runMigrations();
    await before.query(`INSERT INTO store_queues (id, vhost, name, purged_below) VALUES (1, '/', 'q', 4)`);
    await before.query(`CREATE TABLE messages_s1 PARTITION OF messages FOR VALUES IN (1);
                        CREATE TABLE queue_entries_s1 PARTITION OF queue_entries FOR VALUES IN (1);
                        CREATE TABLE entry_events_s1 PARTITION OF entry_events FOR VALUES IN (1)`);
    for (const id of [1, 2, 3, 4]) {
      await before.query(`INSERT INTO messages VALUES (1, $1, 'ex', 'key', '\\x00', 'body')`, [id]);
      await before.query(`INSERT INTO queue_entries VALUES (1, 1, $1, 0, $1, 4)`, [id]);
    }
    // 1: ready at the purge (never delivered). 2: delivered, maybe out with a consumer. 3: acked. 4: after the floor.
    await before.query(`INSERT INTO entry_events VALUES (1, 1, 2, 'd'), (1, 1, 3, 'd'), (1, 1, 3, 'a')`);
    await before.destroy();

    const after = dataSourceWith(database.url, MIGRATIONS);
    await after.initialize();
    await after.runMigrations();
    const live = await after.query(`
      SELECT e.message_id FROM queue_entries e
       WHERE NOT EXISTS (SELECT 1 FROM entry_events ev WHERE ev.message_id = e.message_id AND ev.kind = 'a')
       ORDER BY 1`);
    expect(live.map((row: { message_id: string }) => Number(row.message_id))).toEqual([2, 4]);
    const [message] = await after.query(`SELECT exchange, routing_key FROM messages WHERE id = 1`);
    expect([message.exchange.toString(), message.routing_key.toString()]).toEqual(['ex', 'key']);
    // Back to before this migration, whatever later ones there are.
    while ((await after.query('SELECT count(*)::int AS n FROM migrations'))[0].n > 3) await after.undoLastMigration();
    const [reverted] = await after.query(`SELECT name, purged_below FROM store_queues`);
    expect(reverted).toEqual({ name: 'q', purged_below: '0' });
    await after.destroy();
  });
});
