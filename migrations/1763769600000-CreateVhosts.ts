import { MigrationInterface, QueryRunner } from 'typeorm';

/** Virtual hosts; `/` exists from the start, as in RabbitMQ. */
export class CreateVhosts1763769600000 implements MigrationInterface {
  name = 'CreateVhosts1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE vhosts (
        name        varchar(255) PRIMARY KEY,
        description text NOT NULL DEFAULT '',
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO vhosts (name, description) VALUES ('/', 'Default virtual host')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE vhosts`);
  }
}
