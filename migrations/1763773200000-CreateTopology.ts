import { MigrationInterface, QueryRunner } from 'typeorm';

/** Durable exchanges, queues and bindings. Transient ones are never written here. */
export class CreateTopology1763773200000 implements MigrationInterface {
  name = 'CreateTopology1763773200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE exchanges (
        vhost       varchar(255) NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,
        name        varchar(255) NOT NULL,
        type        varchar(16)  NOT NULL CHECK (type IN ('direct', 'fanout', 'topic', 'headers')),
        durable     boolean      NOT NULL,
        auto_delete boolean      NOT NULL,
        internal    boolean      NOT NULL,
        arguments   jsonb        NOT NULL DEFAULT '{}',
        PRIMARY KEY (vhost, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE queues (
        vhost       varchar(255) NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,
        name        varchar(255) NOT NULL,
        durable     boolean      NOT NULL,
        exclusive   boolean      NOT NULL,
        auto_delete boolean      NOT NULL,
        arguments   jsonb        NOT NULL DEFAULT '{}',
        PRIMARY KEY (vhost, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE bindings (
        id               bigserial PRIMARY KEY,
        vhost            varchar(255) NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,
        source           varchar(255) NOT NULL,
        destination      varchar(255) NOT NULL,
        destination_kind varchar(8)   NOT NULL CHECK (destination_kind IN ('queue', 'exchange')),
        routing_key      text         NOT NULL,
        arguments        jsonb        NOT NULL DEFAULT '{}',
        arguments_key    text         NOT NULL,
        UNIQUE (vhost, source, destination_kind, destination, routing_key, arguments_key)
      )`);
    await queryRunner.query(`CREATE INDEX bindings_destination ON bindings (vhost, destination_kind, destination)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE bindings`);
    await queryRunner.query(`DROP TABLE queues`);
    await queryRunner.query(`DROP TABLE exchanges`);
  }
}
