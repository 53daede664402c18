/**
 * Vhosts over the HTTP API, seen from AMQP clients: limits on connections and
 * queues with RabbitMQ's errors, deleting a vhost (its connections closed with
 * 320 CONNECTION_FORCED, its objects and stored messages gone), and deleting a
 * user (its connections closed).
 */
import * as amqp from 'amqplib';
import { DataSource } from 'typeorm';
import { useWarren } from '../../support/warren-app';
import { adminApi } from '../support/admin-api';
import { closedWith, replyTextOf, useClients } from './support/clients';

jest.setTimeout(60000);

/** amqplib reports a 320 CONNECTION_FORCED with the 'close' event only, not 'error'. */
const forcedClose = (connection: amqp.ChannelModel) =>
  new Promise<Error & { code?: number }>((done) => connection.once('close', (error: Error & { code?: number }) => done(error)));

describe('vhosts and users administered while AMQP clients are connected', () => {
  const warren = useWarren();
  const clients = useClients(warren);
  const admin = adminApi(() => warren.httpPort);
  const as = (username: string, vhost: string) => clients.amqplib({ username, password: `${username}-secret`, vhost });

  beforeAll(async () => {
    await admin.putUser('tenant', 'tenant-secret', 'management');
    for (const vhost of ['limited', 'doomed']) {
      await admin.ok('PUT', `/api/vhosts/${vhost}`, { description: `the ${vhost} one` });
      await admin.permit(vhost, 'tenant', { configure: '.*', write: '.*', read: '.*' });
    }
  });

  describe('max-connections', () => {
    it("refuses the connection over the limit with 530 and RabbitMQ's text, and lets one in again when one leaves", async () => {
      await admin.ok('PUT', '/api/vhost-limits/limited/max-connections', { value: 2 });
      const first = await as('tenant', 'limited');
      await as('tenant', 'limited');
      await expect(clients.raw({ vhost: 'limited', username: 'tenant', password: 'tenant-secret' })).rejects.toThrow(
        /"replyCode":530,"replyText":"NOT_ALLOWED - access to vhost 'limited' refused for user 'tenant': connection limit \(2\) is reached"/,
      );
      await first.close();
      await (await as('tenant', 'limited')).close();
      await admin.ok('DELETE', '/api/vhost-limits/limited/max-connections');
    });

    it('with 0 lets no connection in', async () => {
      await admin.ok('PUT', '/api/vhost-limits/limited/max-connections', { value: 0 });
      await expect(clients.raw({ vhost: 'limited', username: 'tenant', password: 'tenant-secret' })).rejects.toThrow(/connection limit \(0\) is reached/);
      await admin.ok('DELETE', '/api/vhost-limits/limited/max-connections');
      await (await as('tenant', 'limited')).close();
    });
  });

  describe('max-queues', () => {
    it("refuses the queue over the limit with 406 and RabbitMQ's text, over AMQP and HTTP alike", async () => {
      await admin.ok('PUT', '/api/vhost-limits/limited/max-queues', { value: 2 });
      const connection = await as('tenant', 'limited');
      const channel = await connection.createChannel();
      await channel.assertQueue('q1');
      await channel.assertQueue('', { exclusive: true });
      await channel.assertQueue('q1');
      const refused = await closedWith(channel.assertQueue('q3'), 406);
      expect(refused).toBe("PRECONDITION_FAILED - cannot declare queue 'q3': queue limit in vhost 'limited' (2) is reached");
      const overHttp = await admin.call('PUT', '/api/queues/limited/q4', {});
      expect(overHttp).toEqual({ status: 400, body: { error: 'bad_request', reason: "cannot declare queue 'q4': queue limit in vhost 'limited' (2) is reached" } });
      await admin.ok('DELETE', '/api/vhost-limits/limited/max-queues');
      await admin.ok('PUT', '/api/queues/limited/q4', {});
    });
  });

  describe('deleting a vhost', () => {
    it('closes its connections with 320, deletes its objects and their stored messages, and leaves other vhosts alone', async () => {
      const doomed = await as('tenant', 'doomed');
      const bystander = await as('tenant', 'limited');
      const channel = await doomed.createConfirmChannel();
      await channel.assertExchange('orders', 'topic', { durable: true });
      await channel.assertQueue('orders.kept', { durable: true });
      await channel.bindQueue('orders.kept', 'orders', '#');
      for (let i = 0; i < 5; i++) channel.publish('orders', 'new', Buffer.from(`order ${i}`), { persistent: true });
      await channel.waitForConfirms();
      const dataSource = warren.app.get(DataSource);
      const stored = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM store_queues WHERE vhost = 'doomed'`))[0].n);
      expect(await stored()).toBe(1);

      const closed = forcedClose(doomed);
      await admin.ok('DELETE', '/api/vhosts/doomed');
      const error = await closed;
      expect(replyTextOf(error)).toBe("CONNECTION_FORCED - vhost 'doomed' is deleted");
      expect(error.code).toBe(320);

      expect((await admin.call('GET', '/api/vhosts/doomed')).status).toBe(404);
      expect((await admin.call('GET', '/api/queues/doomed/orders.kept')).status).toBe(404);
      expect(await stored()).toBe(0);
      expect(Number((await dataSource.query(`SELECT count(*) AS n FROM queues WHERE vhost = 'doomed'`))[0].n)).toBe(0);
      expect(((await admin.ok('GET', '/api/permissions')) as { vhost: string }[]).filter((p) => p.vhost === 'doomed')).toEqual([]);
      await (await bystander.createChannel()).checkQueue('q1');

      // A vhost of the same name starts empty.
      await admin.ok('PUT', '/api/vhosts/doomed', {});
      expect((await admin.call('GET', '/api/queues/doomed/orders.kept')).status).toBe(404);
      expect(await stored()).toBe(0);
      await expect(as('tenant', 'doomed')).rejects.toThrow(/ConnectionClose/);
    });

    it('answers 404 for a vhost that does not exist', async () => {
      expect(await admin.call('DELETE', '/api/vhosts/never')).toEqual({ status: 404, body: { error: 'not_found', reason: "no vhost 'never'" } });
    });
  });

  describe('deleting a user', () => {
    it('closes its connections with 320, and its password no longer works', async () => {
      await admin.putUser('leaver', 'leaver-secret');
      await admin.permit('/', 'leaver', { configure: '', write: '', read: '' });
      const connection = await as('leaver', '/');
      const closed = forcedClose(connection);
      await admin.ok('DELETE', '/api/users/leaver');
      const error = await closed;
      expect(error.code).toBe(320);
      expect(replyTextOf(error)).toBe("CONNECTION_FORCED - user 'leaver' is deleted");
      await expect(amqp.connect({ protocol: 'amqp', hostname: '127.0.0.1', port: warren.amqpPort, username: 'leaver', password: 'leaver-secret' }))
        .rejects.toThrow(/ACCESS_REFUSED/);
    });
  });
});
