/**
 * The administration API with RabbitMQ's paths and shapes: users, permissions,
 * topic permissions, vhosts and vhost limits. What is set here is what AMQP
 * logins and checks use (see test/e2e/amqp/access-control.e2e.spec.ts).
 */
import * as amqp from 'amqplib';
import { useWarren } from '../../support/warren-app';
import { adminApi } from '../support/admin-api';

jest.setTimeout(60000);

describe('HTTP API: users, permissions, vhosts and limits', () => {
  const warren = useWarren();
  const admin = adminApi(() => warren.httpPort);
  const login = (username: string, password: string, vhost = '/') =>
    amqp.connect({ protocol: 'amqp', hostname: '127.0.0.1', port: warren.amqpPort, username, password, vhost }).then((c) => c.close());

  describe('users', () => {
    it('creates with 201 and replaces with 204, taking tags as a string or a list', async () => {
      expect((await admin.call('PUT', '/api/users/alice', { password: 'alice-secret', tags: 'monitoring, management' })).status).toBe(201);
      expect(await admin.ok('GET', '/api/users/alice')).toEqual({
        name: 'alice', password_hash: expect.stringMatching(/^[A-Za-z0-9+/]{48}$/), hashing_algorithm: 'rabbit_password_hashing_sha256',
        tags: ['monitoring', 'management'], limits: {},
      });
      expect((await admin.call('PUT', '/api/users/alice', { password: 'alice-secret', tags: ['administrator'] })).status).toBe(204);
      expect(await admin.ok('GET', '/api/users/alice')).toMatchObject({ tags: ['administrator'] });
    });

    it('takes a password hash as RabbitMQ exported it, and that password then logs in', async () => {
      await admin.ok('PUT', '/api/users/hashed', {
        password_hash: 'yv4AAZSd5wO6cjD4cY0IuGAeOJoJERJZFRGQ71XxQ0xtWdylaNqQew0O8lmlaKel6KXb41iCTThL/6CrdRUa2SMJG+0=',
        hashing_algorithm: 'rabbit_password_hashing_sha512', tags: '',
      });
      await admin.permit('/', 'hashed', { configure: '', write: '', read: '' });
      await login('hashed', 'sha512-secret');
      await expect(login('hashed', 'wrong')).rejects.toThrow(/ACCESS_REFUSED/);
    });

    it('logs a new user in over AMQP with its password, and a changed password at once', async () => {
      await admin.putUser('bob', 'first');
      await admin.permit('/', 'bob', { configure: '', write: '', read: '' });
      await login('bob', 'first');
      await admin.putUser('bob', 'second');
      await expect(login('bob', 'first')).rejects.toThrow(/ACCESS_REFUSED/);
      await login('bob', 'second');
    });

    it.each([
      ['both a password and a hash', { password: 'x', password_hash: 'AAAA', tags: '' }, /both_password_and_password_hash_are_provided/],
      ['an unknown hashing algorithm', { password_hash: 'AAAA', hashing_algorithm: 'rabbit_password_hashing_rot13', tags: '' }, /hashing_algorithm must be one of/],
      ['tags as a number', { password: 'x', tags: 7 }, /tags must be a comma-separated string or an array of strings/],
      ['a password as a number', { password: 12345, tags: '' }, /password must be a string/],
      ['a hash that is not base64', { password_hash: 'not base64!', tags: '' }, /password_hash must be base64/],
    ])('refuses %s with 400', async (_case, body, reason) => {
      const response = await admin.call('PUT', '/api/users/refused', body);
      expect(response).toEqual({ status: 400, body: { error: 'bad_request', reason: expect.stringMatching(reason) } });
      expect((await admin.call('GET', '/api/users/refused')).status).toBe(404);
    });

    it('lists users, those without permissions, and a user\'s permissions', async () => {
      await admin.putUser('lonely', 'x');
      const users = (await admin.ok('GET', '/api/users')) as { name: string }[];
      expect(users.map((u) => u.name)).toEqual(expect.arrayContaining(['guest', 'alice', 'lonely']));
      const without = (await admin.ok('GET', '/api/users/without-permissions')) as { name: string }[];
      expect(without.map((u) => u.name)).toContain('lonely');
      expect(without.map((u) => u.name)).not.toContain('guest');
      expect(await admin.ok('GET', '/api/users/guest/permissions')).toEqual([{ user: 'guest', vhost: '/', configure: '.*', write: '.*', read: '.*' }]);
      expect((await admin.call('GET', '/api/users/nobody/permissions')).status).toBe(404);
    });

    it('deletes with 204, 404 when there is no such user, and in bulk', async () => {
      for (const name of ['d1', 'd2', 'd3']) await admin.putUser(name, 'x');
      expect((await admin.call('DELETE', '/api/users/d1')).status).toBe(204);
      expect((await admin.call('DELETE', '/api/users/d1')).status).toBe(404);
      expect((await admin.call('POST', '/api/users/bulk-delete', { users: ['d2', 'd3', 'never'] })).status).toBe(204);
      for (const name of ['d1', 'd2', 'd3']) expect((await admin.call('GET', `/api/users/${name}`)).status).toBe(404);
    });

    it('says who is logged in at /api/whoami', async () => {
      await admin.putUser('me', 'me-secret', 'policymaker,custom');
      expect(await admin.call('GET', '/api/whoami', undefined, { user: 'me', password: 'me-secret' })).toEqual({ status: 200, body: { name: 'me', tags: ['policymaker', 'custom'] } });
    });
  });

  describe('permissions', () => {
    it('grants with 201, replaces with 204, reads, lists per vhost and clears', async () => {
      await admin.putUser('carol', 'x');
      const grant = { configure: '^c\\.', write: '^c\\.', read: '.*' };
      expect((await admin.call('PUT', '/api/permissions/%2F/carol', { ...grant, user: 'ignored', vhost: 'ignored' })).status).toBe(201);
      expect((await admin.call('PUT', '/api/permissions/%2F/carol', grant)).status).toBe(204);
      expect(await admin.ok('GET', '/api/permissions/%2F/carol')).toEqual({ user: 'carol', vhost: '/', ...grant });
      expect(await admin.ok('GET', '/api/vhosts/%2F/permissions')).toEqual(expect.arrayContaining([{ user: 'carol', vhost: '/', ...grant }]));
      expect(await admin.ok('GET', '/api/permissions')).toEqual(expect.arrayContaining([{ user: 'carol', vhost: '/', ...grant }]));
      expect((await admin.call('DELETE', '/api/permissions/%2F/carol')).status).toBe(204);
      expect((await admin.call('GET', '/api/permissions/%2F/carol')).status).toBe(404);
      expect((await admin.call('DELETE', '/api/permissions/%2F/carol')).status).toBe(404);
    });

    it.each([
      ['an unknown user', '/api/permissions/%2F/ghost', { configure: '', write: '', read: '' }, /vhost_or_user_not_found: no user 'ghost'/],
      ['an unknown vhost', '/api/permissions/nowhere/guest', { configure: '', write: '', read: '' }, /vhost_or_user_not_found: no vhost 'nowhere'/],
      ['an invalid regular expression', '/api/permissions/%2F/guest', { configure: '(', write: '', read: '' }, /invalid regular expression '\('/],
      ['a missing field', '/api/permissions/%2F/guest', { configure: '', write: '' }, /read must be a string/],
    ])('refuses %s with 400, changing nothing', async (_case, path, body, reason) => {
      expect(await admin.call('PUT', path, body)).toEqual({ status: 400, body: { error: 'bad_request', reason: expect.stringMatching(reason) } });
      expect(await admin.ok('GET', '/api/permissions/%2F/guest')).toMatchObject({ configure: '.*' });
    });
  });

  describe('topic permissions', () => {
    it('grants per exchange, lists, and clears one exchange or all', async () => {
      await admin.putUser('dave', 'x');
      await admin.ok('PUT', '/api/topic-permissions/%2F/dave', { exchange: 'amq.topic', write: '^dave\\.', read: '.*' });
      expect((await admin.call('PUT', '/api/topic-permissions/%2F/dave', { exchange: 'events', write: '', read: '' })).status).toBe(201);
      expect((await admin.call('PUT', '/api/topic-permissions/%2F/dave', { exchange: 'events', write: 'x', read: '' })).status).toBe(204);
      const mine = (await admin.ok('GET', '/api/topic-permissions/%2F/dave')) as object[];
      expect(mine).toEqual(expect.arrayContaining([
        { user: 'dave', vhost: '/', exchange: 'amq.topic', write: '^dave\\.', read: '.*' },
        { user: 'dave', vhost: '/', exchange: 'events', write: 'x', read: '' },
      ]));
      expect(await admin.ok('GET', '/api/users/dave/topic-permissions')).toHaveLength(2);
      expect(await admin.ok('GET', '/api/vhosts/%2F/topic-permissions')).toHaveLength(2);
      expect((await admin.call('DELETE', '/api/topic-permissions/%2F/dave?exchange=events')).status).toBe(204);
      expect(await admin.ok('GET', '/api/topic-permissions')).toEqual([{ user: 'dave', vhost: '/', exchange: 'amq.topic', write: '^dave\\.', read: '.*' }]);
      expect((await admin.call('DELETE', '/api/topic-permissions/%2F/dave')).status).toBe(204);
      expect((await admin.call('GET', '/api/topic-permissions/%2F/dave')).status).toBe(404);
    });
  });

  describe('vhosts', () => {
    it('creates with 201 (its creator gets full permissions there), updates with 204, and shows its settings', async () => {
      expect((await admin.call('PUT', '/api/vhosts/shop', { description: 'the shop', tags: 'prod,eu', default_queue_type: 'classic' })).status).toBe(201);
      expect(await admin.ok('GET', '/api/vhosts/shop')).toMatchObject({
        name: 'shop', description: 'the shop', tags: ['prod', 'eu'], default_queue_type: 'classic',
        metadata: { description: 'the shop', tags: ['prod', 'eu'], default_queue_type: 'classic' },
      });
      expect(await admin.ok('GET', '/api/permissions/shop/guest')).toEqual({ user: 'guest', vhost: 'shop', configure: '.*', write: '.*', read: '.*' });
      expect((await admin.call('PUT', '/api/vhosts/shop', { description: 'renamed' })).status).toBe(204);
      expect(await admin.ok('GET', '/api/vhosts/shop')).toMatchObject({ description: 'renamed', tags: ['prod', 'eu'] });
      await login('guest', 'guest', 'shop');
    });

    it.each([
      ['a quorum default queue type', { default_queue_type: 'quorum' }, /Warren has only classic queues/],
      ['tracing as a word', { tracing: 'maybe' }, /tracing must be a boolean/],
      ['a name over 255 bytes', undefined, /limit is 255/],
    ])('refuses %s with 400', async (_case, body, reason) => {
      const name = body ? 'refused-vhost' : 'v'.repeat(256);
      expect(await admin.call('PUT', `/api/vhosts/${name}`, body ?? {})).toEqual({ status: 400, body: { error: 'bad_request', reason: expect.stringMatching(reason) } });
      expect((await admin.call('GET', `/api/vhosts/${name}`)).status).toBe(404);
    });
  });

  describe('vhost limits', () => {
    it('sets, lists, reads per vhost and clears, as RabbitMQ shows them', async () => {
      await admin.ok('PUT', '/api/vhosts/capped', {});
      expect((await admin.call('PUT', '/api/vhost-limits/capped/max-queues', { value: 10 })).status).toBe(204);
      await admin.ok('PUT', '/api/vhost-limits/capped/max-connections', { value: 1 });
      expect(await admin.ok('GET', '/api/vhost-limits/capped')).toEqual([{ vhost: 'capped', value: { 'max-queues': 10, 'max-connections': 1 } }]);
      expect(await admin.ok('GET', '/api/vhost-limits')).toEqual([{ vhost: 'capped', value: { 'max-queues': 10, 'max-connections': 1 } }]);
      await admin.ok('DELETE', '/api/vhost-limits/capped/max-connections');
      expect(await admin.ok('GET', '/api/vhost-limits/capped')).toEqual([{ vhost: 'capped', value: { 'max-queues': 10 } }]);
      expect(await admin.ok('GET', '/api/vhost-limits/%2F')).toEqual([]);
    });

    it.each([
      ['an unknown limit', '/api/vhost-limits/%2F/max-channels', { value: 1 }, 400, /Unrecognised terms/],
      ['a value that is not a number', '/api/vhost-limits/%2F/max-queues', { value: 'ten' }, 400, /max-queues should be a number, actually was "ten"/],
      ['no value', '/api/vhost-limits/%2F/max-queues', {}, 400, /value should not be (null or )?undefined/],
      ['an unknown vhost', '/api/vhost-limits/nowhere/max-queues', { value: 1 }, 404, /no vhost 'nowhere'/],
    ])('refuses %s', async (_case, path, body, status, reason) => {
      expect(await admin.call('PUT', path, body)).toEqual({ status, body: { error: status === 404 ? 'not_found' : 'bad_request', reason: expect.stringMatching(reason) } });
      expect(await admin.ok('GET', '/api/vhost-limits/%2F')).toEqual([]);
    });
  });
});
