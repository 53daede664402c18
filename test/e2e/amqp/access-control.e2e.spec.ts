/**
 * Permissions enforced on every AMQP method, as RabbitMQ enforces them, with its
 * reply codes and texts, for a user that is not an administrator: configure for
 * declare and delete, write to publish, read to consume, get and purge, write on
 * a binding's destination and read on its source, topic permissions on routing
 * keys, and 530 for a vhost without permissions.
 */
import * as amqp from 'amqplib';
import { useWarren } from '../../support/warren-app';
import { adminApi } from '../support/admin-api';
import { channelError, closedWith, replyTextOf, useClients } from './support/clients';

jest.setTimeout(60000);

const refused = (what: string, user = 'app', vhost = '/') => `ACCESS_REFUSED - access to ${what} in vhost '${vhost}' refused for user '${user}'`;

describe('AMQP access control', () => {
  const warren = useWarren();
  const clients = useClients(warren);
  const admin = adminApi(() => warren.httpPort);
  const as = (username: string, password = `${username}-secret`, vhost = '/') => clients.amqplib({ username, password, vhost });

  beforeAll(async () => {
    await admin.putUser('app', 'app-secret');
    await admin.permit('/', 'app', { configure: '^app\\.', write: '^app\\.|^amq\\.topic$', read: '^app\\.|^amq\\.topic$' });
    await admin.ok('PUT', '/api/topic-permissions/%2F/app', { exchange: 'amq.topic', write: '^{username}\\.', read: '^{username}\\.' });
    await admin.putUser('reader', 'reader-secret');
    await admin.permit('/', 'reader', { configure: '', write: '', read: '.*' });
    await admin.ok('PUT', '/api/vhosts/other', {});
    await admin.ok('PUT', '/api/queues/%2F/shared.q', { durable: true });
    await admin.ok('PUT', '/api/exchanges/%2F/shared.x', { type: 'direct', durable: true });
    await admin.ok('POST', '/api/exchanges/%2F/amq.default/publish', { routing_key: 'shared.q', payload: 'for readers' });
  });

  describe('opening a connection', () => {
    it("refuses a wrong password with 403 and RabbitMQ's text, for PLAIN and AMQPLAIN", async () => {
      const plain = await amqp.connect({ ...warrenUrl(), username: 'app', password: 'wrong' }).catch((e: Error) => e);
      expect(replyTextOf(plain)).toBe('ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.');
      const amqplain = await amqp.connect(`amqp://127.0.0.1:${warren.amqpPort}`, { credentials: amqp.credentials.amqplain('app', 'wrong') }).catch((e: Error) => e);
      expect(replyTextOf(amqplain)).toBe('ACCESS_REFUSED - Login was refused using authentication mechanism AMQPLAIN. For details see the broker logfile.');
      const ok = await amqp.connect(`amqp://127.0.0.1:${warren.amqpPort}`, { credentials: amqp.credentials.amqplain('app', 'app-secret') });
      await ok.close();
    });

    it('refuses an unknown user the same way', async () => {
      const error = await amqp.connect({ ...warrenUrl(), username: 'nobody', password: 'x' }).catch((e: Error) => e);
      expect(replyTextOf(error)).toMatch(/^ACCESS_REFUSED - Login was refused/);
    });

    it('refuses a vhost the user has no permissions in with 530 NOT_ALLOWED', async () => {
      // amqplib only says it got connection.close instead of open-ok; the raw client shows the close itself.
      await expect(as('app', 'app-secret', 'other')).rejects.toThrow(/got <ConnectionClose/);
      await expect(clients.raw({ vhost: 'other', username: 'app', password: 'app-secret' }))
        .rejects.toThrow(/got connection.close .*"replyCode":530,"replyText":"NOT_ALLOWED - access to vhost 'other' refused for user 'app'","classId":10,"methodId":40/);
      await admin.permit('other', 'app', { configure: '', write: '', read: '' });
      await (await as('app', 'app-secret', 'other')).close();
    });
  });

  describe('each method, refused with 403 ACCESS_REFUSED and the resource named', () => {
    let connection: amqp.ChannelModel;
    beforeEach(async () => {
      connection = await as('app', 'app-secret');
    });
    const channel = () => connection.createChannel();

    it('exchange.declare needs configure on the exchange', async () => {
      const ch = await channel();
      await ch.assertExchange('app.x', 'direct');
      expect(await closedWith(ch.assertExchange('other.x', 'direct'), 403)).toBe(refused("exchange 'other.x'"));
    });

    it('exchange.declare of a new exchange with an alternate exchange needs read on it and write on the alternate', async () => {
      expect(await closedWith((await channel()).assertExchange('app.with-ae', 'direct', { alternateExchange: 'shared.x' }), 403)).toBe(refused("exchange 'shared.x'"));
    });

    it('exchange.delete needs configure', async () => {
      expect(await closedWith((await channel()).deleteExchange('shared.x'), 403)).toBe(refused("exchange 'shared.x'"));
      await admin.ok('GET', '/api/exchanges/%2F/shared.x');
    });

    it('queue.declare needs configure on the queue, server-named ones included', async () => {
      const ch = await channel();
      await ch.assertQueue('app.q', { exclusive: true });
      expect(await closedWith(ch.assertQueue('other.q'), 403)).toBe(refused("queue 'other.q'"));
      expect(await closedWith((await channel()).assertQueue('', { exclusive: true }), 403)).toMatch(/^ACCESS_REFUSED - access to queue 'amq\.gen-[\w-]{22}' in vhost '\/' refused for user 'app'$/);
    });

    it('queue.declare of a new queue with a dead-letter exchange needs write on it', async () => {
      const declared = (await channel()).assertQueue('app.dl', { exclusive: true, deadLetterExchange: 'shared.x' });
      expect(await closedWith(declared, 403)).toBe(refused("exchange 'shared.x'"));
    });

    it('a passive declare needs no permission, as in RabbitMQ', async () => {
      const ch = await channel();
      expect(await ch.checkQueue('shared.q')).toMatchObject({ queue: 'shared.q' });
      expect(await ch.checkExchange('shared.x')).toBeDefined();
    });

    it('queue.delete needs configure, even for a queue that does not exist', async () => {
      expect(await closedWith((await channel()).deleteQueue('shared.q'), 403)).toBe(refused("queue 'shared.q'"));
      expect(await closedWith((await channel()).deleteQueue('never.existed'), 403)).toBe(refused("queue 'never.existed'"));
    });

    it('queue.purge, basic.get and basic.consume need read', async () => {
      expect(await closedWith((await channel()).purgeQueue('shared.q'), 403)).toBe(refused("queue 'shared.q'"));
      expect(await closedWith((await channel()).get('shared.q'), 403)).toBe(refused("queue 'shared.q'"));
      expect(await closedWith((await channel()).consume('shared.q', () => undefined), 403)).toBe(refused("queue 'shared.q'"));
      expect((await admin.ok('GET', '/api/queues/%2F/shared.q')) as { messages: number }).toMatchObject({ messages: 1 });
    });

    it('basic.publish needs write on the exchange; the default exchange is amq.default', async () => {
      const ch = await channel();
      const closed = channelError(ch);
      ch.publish('shared.x', 'k', Buffer.from('x'));
      expect(replyTextOf(await closed)).toBe(refused("exchange 'shared.x'"));
      const again = await channel();
      const closedAgain = channelError(again);
      again.sendToQueue('shared.q', Buffer.from('x'));
      expect(replyTextOf(await closedAgain)).toBe(refused("exchange 'amq.default'"));
      expect((await admin.ok('GET', '/api/queues/%2F/shared.q')) as { messages: number }).toMatchObject({ messages: 1 });
    });

    it('queue.bind and queue.unbind need write on the queue and read on the exchange', async () => {
      const ch = await channel();
      await ch.assertQueue('app.bound', { exclusive: true });
      await ch.assertExchange('app.src', 'direct', { autoDelete: true });
      await ch.bindQueue('app.bound', 'app.src', 'k');
      await ch.unbindQueue('app.bound', 'app.src', 'k');
      expect(await closedWith(ch.bindQueue('app.bound', 'shared.x', 'k'), 403)).toBe(refused("exchange 'shared.x'"));
      expect(await closedWith((await channel()).bindQueue('shared.q', 'app.src', 'k'), 403)).toBe(refused("queue 'shared.q'"));
      expect(await closedWith((await channel()).unbindQueue('shared.q', 'app.src', 'k'), 403)).toBe(refused("queue 'shared.q'"));
    });

    it('exchange.bind needs write on the destination exchange and read on the source', async () => {
      const ch = await channel();
      await ch.assertExchange('app.e1', 'fanout', { autoDelete: true });
      expect(await closedWith(ch.bindExchange('shared.x', 'app.e1', ''), 403)).toBe(refused("exchange 'shared.x'"));
      expect(await closedWith((await channel()).bindExchange('app.e1', 'shared.x', ''), 403)).toBe(refused("exchange 'shared.x'"));
    });

    it('applies a change of permissions to open channels at once', async () => {
      await admin.putUser('fickle', 'fickle-secret');
      await admin.permit('/', 'fickle', { configure: '', write: '', read: '.*' });
      const fickle = await as('fickle');
      const ch = await fickle.createChannel();
      expect(await ch.get('shared.q', { noAck: false })).not.toBe(false);
      await ch.recover();
      await admin.permit('/', 'fickle', { configure: '', write: '', read: '^nothing$' });
      expect(await closedWith(ch.get('shared.q'), 403)).toBe(refused("queue 'shared.q'", 'fickle'));
    });

    it('lets a read-only user consume but not publish', async () => {
      const reader = await as('reader');
      const ch = await reader.createChannel();
      const got = await ch.get('shared.q', { noAck: false });
      expect(got && got.content.toString()).toBe('for readers');
      ch.nack(got as amqp.GetMessage, false, true);
      const closed = channelError(ch);
      ch.publish('amq.direct', 'k', Buffer.from('x'));
      expect(replyTextOf(await closed)).toBe(refused("exchange 'amq.direct'", 'reader'));
    });
  });

  describe('topic permissions', () => {
    it('check the routing key of a publish to a topic exchange, with {username} expanded', async () => {
      const connection = await as('app', 'app-secret');
      const ch = await connection.createChannel();
      const { queue } = await ch.assertQueue('app.topic-in', { exclusive: true });
      await ch.bindQueue(queue, 'amq.topic', 'app.#');
      ch.publish('amq.topic', 'app.orders', Buffer.from('mine'));
      const closed = channelError(ch);
      ch.publish('amq.topic', 'bob.orders', Buffer.from('theirs'));
      expect(replyTextOf(await closed)).toBe("ACCESS_REFUSED - access to topic 'bob.orders' in exchange 'amq.topic' in vhost '/' refused for user 'app'");
      const check = await connection.createChannel();
      const got = await check.get(queue, { noAck: true });
      expect(got && got.content.toString()).toBe('mine');
    });

    it('check the routing key of a binding from a topic exchange against read', async () => {
      const connection = await as('app', 'app-secret');
      const ch = await connection.createChannel();
      await ch.assertQueue('app.topic-bind', { exclusive: true });
      expect(await closedWith(ch.bindQueue('app.topic-bind', 'amq.topic', 'bob.#'), 403)).toBe(
        "ACCESS_REFUSED - access to topic 'bob.#' in exchange 'amq.topic' in vhost '/' refused for user 'app'",
      );
    });
  });

  function warrenUrl() {
    return { protocol: 'amqp', hostname: '127.0.0.1', port: warren.amqpPort, vhost: '/' };
  }
});
