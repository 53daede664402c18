import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users with RabbitMQ's salted password hashes and tags, their permissions and
 * topic permissions per vhost, vhost limits, and the vhost settings RabbitMQ
 * keeps as metadata (tags, default queue type). Deleting a user or a vhost takes
 * its permissions with it.
 */
export class CreateUsersAndPermissions1796018688411 implements MigrationInterface {
  name = 'CreateUsersAndPermissions1796018688411';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE vhosts ADD COLUMN tags jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE vhosts ADD COLUMN default_queue_type varchar(32) NOT NULL DEFAULT 'classic'`);
    await queryRunner.query(`
      CREATE TABLE users (
        name              text PRIMARY KEY,
        password_hash     text  NOT NULL,
        hashing_algorithm varchar(64) NOT NULL,
        tags              jsonb NOT NULL DEFAULT '[]'
      )`);
    await queryRunner.query(`
      CREATE TABLE user_permissions (
        username  text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        vhost     varchar(255) NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,
        configure text NOT NULL,
        write     text NOT NULL,
        read      text NOT NULL,
        PRIMARY KEY (username, vhost)
      )`);
    await queryRunner.query(`CREATE INDEX user_permissions_vhost ON user_permissions (vhost)`);
    await queryRunner.query(`
      CREATE TABLE topic_permissions (
        username text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
        vhost    varchar(255) NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,
        exchange varchar(255) NOT NULL,
        write    text NOT NULL,
        read     text NOT NULL,
        PRIMARY KEY (username, vhost, exchange)
      )`);
    await queryRunner.query(`CREATE INDEX topic_permissions_vhost ON topic_permissions (vhost)`);
    await queryRunner.query(`
      CREATE TABLE vhost_limits (
        vhost varchar(255) NOT NULL REFERENCES vhosts (name) ON DELETE CASCADE,
        name  varchar(64) NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (vhost, name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE vhost_limits`);
    await queryRunner.query(`DROP TABLE topic_permissions`);
    await queryRunner.query(`DROP TABLE user_permissions`);
    await queryRunner.query(`DROP TABLE users`);
    await queryRunner.query(`ALTER TABLE vhosts DROP COLUMN default_queue_type`);
    await queryRunner.query(`ALTER TABLE vhosts DROP COLUMN tags`);
  }
}
