import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable message log. Messages, their queue entries and entry events
 * (delivered, acked) are insert-only tables partitioned by segment: the broker
 * creates a partition per segment at run time and reclaims space by dropping a
 * segment's partitions once nothing in it is live, never by row-by-row DELETE.
 */
export class CreateMessageLog1763776800000 implements MigrationInterface {
  name = 'CreateMessageLog1763776800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE store_queues (
        id           serial PRIMARY KEY,
        vhost        varchar(255) NOT NULL,
        name         varchar(255) NOT NULL,
        purged_below bigint NOT NULL DEFAULT 0,
        UNIQUE (vhost, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE messages (
        segment     integer NOT NULL,
        id          bigint  NOT NULL,
        exchange    text    NOT NULL,
        routing_key text    NOT NULL,
        properties  bytea   NOT NULL,
        body        bytea   NOT NULL,
        PRIMARY KEY (segment, id)
      ) PARTITION BY LIST (segment)`);
    await queryRunner.query(`
      CREATE TABLE queue_entries (
        segment    integer  NOT NULL,
        queue_id   integer  NOT NULL,
        seq        bigint   NOT NULL,
        priority   smallint NOT NULL,
        message_id bigint   NOT NULL,
        body_size  integer  NOT NULL
      ) PARTITION BY LIST (segment)`);
    await queryRunner.query(`
      CREATE TABLE entry_events (
        segment    integer NOT NULL,
        queue_id   integer NOT NULL,
        message_id bigint  NOT NULL,
        kind       "char"  NOT NULL CHECK (kind IN ('d', 'a'))
      ) PARTITION BY LIST (segment)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE entry_events`);
    await queryRunner.query(`DROP TABLE queue_entries`);
    await queryRunner.query(`DROP TABLE messages`);
    await queryRunner.query(`DROP TABLE store_queues`);
  }
}
