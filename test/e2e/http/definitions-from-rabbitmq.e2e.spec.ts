/**
 * The migration path from RabbitMQ: a definitions file exported by RabbitMQ
 * 3.10.8 (test/fixtures, made by scripts/make-definitions-fixture.sh) imports
 * into Warren as it is, and its users log in over AMQP with the passwords they
 * had in RabbitMQ, under the permissions, topic permissions and limits it carried.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as amqp from 'amqplib';
import { createTestDatabase } from '../../support/test-database';
import { startWarren, useWarren } from '../../support/warren-app';
import { adminApi } from '../support/admin-api';
import { closedWith } from '../amqp/support/clients';

jest.setTimeout(60000);

const FIXTURE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'rabbitmq-3.10-definitions.json'), 'utf8'));

/** The passwords the script gave each user in RabbitMQ. */
const PASSWORDS: Record<string, string> = {
  guest: 'guest',
  'fixture-admin': 'admin-secret',
  'fixture-monitor': 'monitor-secret',
  'fixture-policy': 'policy-secret',
  'fixture-mgmt': 'pässwörd ünicode',
  'fixture-app': 'app-secret',
  'fixture-sha512': 'sha512-secret',
};

describe('definitions exported by RabbitMQ 3.10', () => {
  const warren = useWarren();
  const admin = adminApi(() => warren.httpPort);
  const connect = (username: string, vhost = 'fixture-vhost', password = PASSWORDS[username]) =>
    amqp.connect({ protocol: 'amqp', hostname: '127.0.0.1', port: warren.amqpPort, username, password, vhost });

  beforeAll(async () => {
    await admin.ok('POST', '/api/definitions', FIXTURE);
  });

  it('imports every user, with its hash, algorithm and tags', async () => {
    const users = (await admin.ok('GET', '/api/users')) as { name: string }[];
    for (const user of FIXTURE.users) {
      expect(users).toContainEqual({ name: user.name, password_hash: user.password_hash, hashing_algorithm: user.hashing_algorithm, tags: user.tags, limits: {} });
    }
  });

  it.each(Object.keys(PASSWORDS))('logs %s in over AMQP with its RabbitMQ password', async (username) => {
    const vhost = FIXTURE.permissions.some((p: { user: string; vhost: string }) => p.user === username && p.vhost === 'fixture-vhost') ? 'fixture-vhost' : '/';
    const connection = await connect(username, vhost);
    await connection.close();
    await expect(connect(username, vhost, PASSWORDS[username] + '!')).rejects.toThrow(/ACCESS_REFUSED/);
  });

  it('creates the vhost and imports permissions, topic permissions and vhost limits', async () => {
    await admin.ok('GET', '/api/vhosts/fixture-vhost');
    const permissions = (await admin.ok('GET', '/api/permissions')) as object[];
    for (const permission of FIXTURE.permissions) expect(permissions).toContainEqual(permission);
    const topicPermissions = (await admin.ok('GET', '/api/topic-permissions')) as object[];
    expect(topicPermissions).toHaveLength(FIXTURE.topic_permissions.length);
    for (const permission of FIXTURE.topic_permissions) expect(topicPermissions).toContainEqual(permission);
    expect(await admin.ok('GET', '/api/vhost-limits/fixture-vhost')).toEqual([{ vhost: 'fixture-vhost', value: { 'max-connections': 50, 'max-queues': 100 } }]);
  });

  it('imports the topology, which routes', async () => {
    const connection = await connect('fixture-app');
    const channel = await connection.createConfirmChannel();
    channel.publish('app.events', 'orders.new', Buffer.from('order'));
    await channel.waitForConfirms();
    expect(await channel.checkQueue('app.orders')).toMatchObject({ messageCount: 1 });
    expect(await channel.checkQueue('app.audit-log')).toMatchObject({ messageCount: 1 });
    await connection.close();
    await admin.ok('GET', '/api/queues/%2F/fixture.root-queue');
  });

  it('enforces the imported permissions and topic permissions on the imported users', async () => {
    const connection = await connect('fixture-app');
    const declaring = (await connection.createChannel()).on('error', () => undefined);
    expect(await closedWith(declaring.assertQueue('not-app'), 403)).toBe(
      "ACCESS_REFUSED - access to queue 'not-app' in vhost 'fixture-vhost' refused for user 'fixture-app'",
    );
    const channel = await connection.createChannel();
    const refused = new Promise<Error>((done) => channel.once('error', done));
    channel.publish('app.events', 'payments.new', Buffer.from('x'));
    expect((await refused).message).toContain("access to topic 'payments.new' in exchange 'app.events' in vhost 'fixture-vhost' refused for user 'fixture-app'");
    await connection.close().catch(() => undefined);
  });

  it('gives the imported users their tags over HTTP', async () => {
    const asUser = (user: string) => ({ user, password: PASSWORDS[user] });
    expect((await admin.call('GET', '/api/users', undefined, asUser('fixture-admin'))).status).toBe(200);
    expect((await admin.call('GET', '/api/users', undefined, asUser('fixture-monitor'))).status).toBe(403);
    expect((await admin.call('GET', '/api/queues', undefined, asUser('fixture-monitor'))).status).toBe(200);
    expect((await admin.call('GET', '/api/overview', undefined, asUser('fixture-app'))).status).toBe(403);
  });

  it('imports again without change, as RabbitMQ does', async () => {
    const before = await admin.ok('GET', '/api/definitions');
    await admin.ok('POST', '/api/definitions', FIXTURE);
    expect(await admin.ok('GET', '/api/definitions')).toEqual(before);
  });

  it("exports what it imported in RabbitMQ's format, which imports into a fresh Warren with the same logins", async () => {
    const exported = (await admin.ok('GET', '/api/definitions')) as typeof FIXTURE;
    expect(exported.parameters).toEqual(FIXTURE.parameters);
    const database = await createTestDatabase();
    const fresh = await startWarren(database.url);
    try {
      const freshAdmin = adminApi(() => fresh.httpPort);
      await freshAdmin.ok('POST', '/api/definitions', exported);
      const sorted = (items: object[]) => items.map((item) => JSON.stringify(item)).sort();
      const reexported = (await freshAdmin.ok('GET', '/api/definitions')) as typeof FIXTURE;
      for (const section of ['users', 'vhosts', 'permissions', 'topic_permissions', 'parameters', 'exchanges', 'queues', 'bindings']) {
        expect([section, sorted(reexported[section])]).toEqual([section, sorted(exported[section])]);
      }
      const connection = await amqp.connect({
        protocol: 'amqp', hostname: '127.0.0.1', port: fresh.amqpPort, username: 'fixture-mgmt', password: PASSWORDS['fixture-mgmt'], vhost: 'fixture-vhost',
      });
      await connection.close();
    } finally {
      await fresh.close();
      await database.drop();
    }
  });
});
