import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two fixes to what the store can hold (issue 9).
 *
 * Names and routing keys are AMQP short strings: any UTF-8, NUL included, which
 * PostgreSQL's text refuses. Every such column becomes bytea holding the UTF-8
 * bytes, so a durable declare or a persistent publish can never be refused by
 * the database for its text.
 *
 * A purge used to leave a floor (`purged_below`) under which every entry of the
 * queue was dead, which also killed messages that were out with a consumer during
 * the purge and requeued after it. A purge now records its dead entries one by
 * one. Old floors become explicit acks for the entries below them that were never
 * delivered (they were certainly ready at the purge); an entry below a floor that
 * had been delivered may have been out with a consumer, so it is kept: at worst a
 * purged message comes back once, redelivered, rather than a live one being lost.
 */
const TO_BYTES: Record<string, string[]> = {
  store_queues: ['name'],
  messages: ['exchange', 'routing_key'],
  exchanges: ['name'],
  queues: ['name'],
  bindings: ['source', 'destination', 'routing_key'],
};

const TEXT_TYPES: Record<string, string> = {
  'store_queues.name': 'varchar(255)',
  'messages.exchange': 'text',
  'messages.routing_key': 'text',
  'exchanges.name': 'varchar(255)',
  'queues.name': 'varchar(255)',
  'bindings.source': 'varchar(255)',
  'bindings.destination': 'varchar(255)',
  'bindings.routing_key': 'text',
};

export class ByteExactNamesAndExplicitPurges1796018388193 implements MigrationInterface {
  name = 'ByteExactNamesAndExplicitPurges1796018388193';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO entry_events (segment, queue_id, message_id, kind)
      SELECT e.segment, e.queue_id, e.message_id, 'a'
        FROM queue_entries e
        JOIN store_queues q ON q.id = e.queue_id
       WHERE e.seq < q.purged_below
         AND NOT EXISTS (SELECT 1 FROM entry_events ev
                          WHERE ev.segment = e.segment AND ev.queue_id = e.queue_id AND ev.message_id = e.message_id)`);
    await queryRunner.query(`ALTER TABLE store_queues DROP COLUMN purged_below`);
    for (const [table, columns] of Object.entries(TO_BYTES)) {
      const changes = columns.map((column) => `ALTER COLUMN ${column} TYPE bytea USING convert_to(${column}, 'UTF8')`);
      await queryRunner.query(`ALTER TABLE ${table} ${changes.join(', ')}`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(TO_BYTES)) {
      const changes = columns.map((column) => `ALTER COLUMN ${column} TYPE ${TEXT_TYPES[`${table}.${column}`]} USING convert_from(${column}, 'UTF8')`);
      await queryRunner.query(`ALTER TABLE ${table} ${changes.join(', ')}`);
    }
    await queryRunner.query(`ALTER TABLE store_queues ADD COLUMN purged_below bigint NOT NULL DEFAULT 0`);
  }
}
