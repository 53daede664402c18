/**
 * Who may do what over HTTP, decided by tags as RabbitMQ's management plugin
 * decides: administrators do all; monitoring users see every vhost and change
 * nothing; management and policymaker users see and act only in vhosts they have
 * permissions in, under those permissions; users without these tags have no
 * HTTP access. Refusals are 401 (credentials) or 403 with a reason.
 */
import { useApi } from './support/http-api';
import request from 'supertest';

type As = { get(path: string): request.Test; put(path: string): request.Test; post(path: string): request.Test; delete(path: string): request.Test };

describe('HTTP API: access by tags', () => {
  const http = useApi();
  const { api } = http;
  const as = (user: string): As => {
    const server = () => http.app.getHttpServer();
    return {
      get: (path) => request(server()).get(path).auth(user, `${user}-secret`),
      put: (path) => request(server()).put(path).auth(user, `${user}-secret`),
      post: (path) => request(server()).post(path).auth(user, `${user}-secret`),
      delete: (path) => request(server()).delete(path).auth(user, `${user}-secret`),
    };
  };
  const refusedBecause = (reason: string) => ({ error: 'access_refused', reason });
  const names = (body: { name: string }[]) => body.map((item) => item.name).sort();

  beforeAll(async () => {
    await api.put('/api/vhosts/team').send({}).expect(201);
    const users: [string, string][] = [['mon', 'monitoring'], ['mgr', 'management'], ['pol', 'policymaker'], ['none', ''], ['admin2', 'administrator']];
    for (const [name, tags] of users) await api.put(`/api/users/${name}`).send({ password: `${name}-secret`, tags }).expect(201);
    const team = { configure: '^team\\.', write: '^team\\.', read: '^team\\.' };
    for (const name of ['mgr', 'pol', 'none']) await api.put(`/api/permissions/team/${name}`).send(team).expect(201);
    await api.put('/api/permissions/team/mon').send({ configure: '.*', write: '.*', read: '.*' }).expect(201);
    await api.put('/api/topic-permissions/team/mgr').send({ exchange: 'team.topic', write: '^team\\.', read: '^team\\.' }).expect(201);
    await api.put('/api/queues/%2F/secret.q').send({}).expect(201);
    for (const queue of ['team.q', 'other.q']) await api.put(`/api/queues/team/${queue}`).send({}).expect(201);
    await api.put('/api/exchanges/team/team.topic').send({ type: 'topic' }).expect(201);
    await api.put('/api/exchanges/team/other.ex').send({ type: 'fanout' }).expect(201);
    await api.post('/api/exchanges/team/amq.default/publish').send({ routing_key: 'other.q', payload: 'x' }).expect(200);
  });

  it('refuses a user with none of the management tags, even with permissions', async () => {
    for (const path of ['/api/overview', '/api/whoami', '/api/queues', '/api/queues/team']) {
      expect((await as('none').get(path).expect(403)).body).toEqual(refusedBecause('Not management user'));
    }
  });

  it.each(['mon', 'mgr', 'pol'])('keeps administration from %s', async (user) => {
    const refusals: [keyof As, string, object?][] = [
      ['get', '/api/users'], ['get', '/api/users/guest'], ['put', '/api/users/sneaky', { password: 'x', tags: 'administrator' }],
      ['delete', '/api/users/mgr'], ['post', '/api/users/bulk-delete', { users: ['mgr'] }],
      ['get', '/api/permissions'], ['put', '/api/permissions/team/mgr', { configure: '.*', write: '.*', read: '.*' }],
      ['delete', '/api/permissions/team/mgr'], ['get', '/api/topic-permissions'], ['put', '/api/topic-permissions/team/mgr', { exchange: 'x', write: '.*', read: '.*' }],
      ['get', '/api/definitions'], ['post', '/api/definitions', { users: [{ name: 'sneaky', password_hash: '', tags: 'administrator' }] }],
      ['get', '/api/definitions/team'], ['put', '/api/vhosts/sneaky', {}], ['delete', '/api/vhosts/team'],
      ['put', '/api/vhost-limits/team/max-queues', { value: 0 }], ['delete', '/api/vhost-limits/team/max-queues'],
      ['get', '/api/vhosts/team/permissions'],
    ];
    for (const [method, path, body] of refusals) {
      const response = await (body ? as(user)[method](path).send(body) : as(user)[method](path));
      expect([method, path, response.status, response.body]).toEqual([method, path, 403, refusedBecause('Not administrator user')]);
    }
    await api.get('/api/users/sneaky').expect(404);
    await api.get('/api/vhosts/sneaky').expect(404);
    expect((await api.get('/api/permissions/team/mgr').expect(200)).body).toMatchObject({ configure: '^team\\.' });
    expect((await api.get('/api/vhost-limits/team').expect(200)).body).toEqual([]);
  });

  describe('what each user sees', () => {
    it('monitoring sees every vhost and everything in it', async () => {
      expect(names((await as('mon').get('/api/vhosts').expect(200)).body)).toEqual(['/', 'team']);
      expect(names((await as('mon').get('/api/queues').expect(200)).body)).toEqual(['other.q', 'secret.q', 'team.q']);
      await as('mon').get('/api/queues/%2F/secret.q').expect(200);
      await as('mon').get('/api/exchanges/%2F').expect(200);
      expect((await as('mon').get('/api/overview').expect(200)).body.object_totals).toMatchObject({ queues: 3 });
    });

    it.each(['mgr', 'pol'])('%s sees only the vhosts it has permissions in', async (user) => {
      expect(names((await as(user).get('/api/vhosts').expect(200)).body)).toEqual(['team']);
      expect(names((await as(user).get('/api/queues').expect(200)).body)).toEqual(['other.q', 'team.q']);
      expect(new Set((await as(user).get('/api/exchanges').expect(200)).body.map((x: { vhost: string }) => x.vhost))).toEqual(new Set(['team']));
      expect(new Set((await as(user).get('/api/bindings').expect(200)).body.map((b: { vhost: string }) => b.vhost))).toEqual(new Set(['team']));
      expect((await as(user).get('/api/overview').expect(200)).body).toMatchObject({ object_totals: { queues: 2 }, queue_totals: { messages: 1 } });
      for (const path of ['/api/vhosts/%2F', '/api/queues/%2F', '/api/queues/%2F/secret.q', '/api/exchanges/%2F', '/api/bindings/%2F', '/api/vhost-limits/%2F']) {
        expect([path, (await as(user).get(path).expect(403)).body]).toEqual([path, refusedBecause('User not authorised to access virtual host')]);
      }
      expect((await as(user).get('/api/whoami').expect(200)).body).toEqual({ name: user, tags: [user === 'mgr' ? 'management' : 'policymaker'] });
    });
  });

  describe('what each user may change', () => {
    it('monitoring changes nothing, even where its permissions would allow it', async () => {
      const readOnly = refusedBecause('User not authorised to change anything: monitoring is read-only');
      const attempts: [keyof As, string, object?][] = [
        ['put', '/api/queues/team/team.mon', {}], ['delete', '/api/queues/team/team.q'], ['delete', '/api/queues/team/other.q/contents'],
        ['post', '/api/queues/team/other.q/get', { count: 1, ackmode: 'ack_requeue_false' }],
        ['post', '/api/exchanges/team/amq.default/publish', { routing_key: 'team.q', payload: 'x' }],
        ['put', '/api/exchanges/team/team.mon', { type: 'direct' }], ['post', '/api/bindings/team/e/amq.direct/q/team.q', {}],
      ];
      for (const [method, path, body] of attempts) {
        const response = await (body ? as('mon')[method](path).send(body) : as('mon')[method](path));
        expect([method, path, response.status, response.body]).toEqual([method, path, 403, readOnly]);
      }
      expect((await api.get('/api/queues/team/other.q').expect(200)).body).toMatchObject({ messages: 1 });
      await api.get('/api/queues/team/team.mon').expect(404);
    });

    it.each(['mgr', 'pol'])('%s acts in its vhost under its permissions, and only there', async (user) => {
      const queue = `team.${user}`;
      await as(user).put(`/api/queues/team/${queue}`).send({ durable: 'true' }).expect(201);
      await as(user).post(`/api/bindings/team/e/team.topic/q/${queue}`).send({ routing_key: 'team.#' }).expect(201);
      await as(user).post('/api/exchanges/team/amq.default/publish').send({ routing_key: queue, payload: 'x' }).expect(403);
      await as(user).delete(`/api/queues/team/${queue}/contents`).expect(204);
      await as(user).post(`/api/queues/team/${queue}/get`).send({ count: 1, ackmode: 'ack_requeue_true' }).expect(200);
      await as(user).delete(`/api/queues/team/${queue}`).expect(204);
      await as(user).put('/api/queues/%2F/team.sneaky').send({}).expect(403);
      await api.get('/api/queues/%2F/team.sneaky').expect(404);
    });

    it.each([
      ['declare a queue without configure', 'put', '/api/queues/team/other.new', {}, "access to queue 'other.new' in vhost 'team' refused for user 'mgr'"],
      ['delete a queue without configure', 'delete', '/api/queues/team/other.q', undefined, "access to queue 'other.q' in vhost 'team' refused for user 'mgr'"],
      ['purge without read', 'delete', '/api/queues/team/other.q/contents', undefined, "access to queue 'other.q' in vhost 'team' refused for user 'mgr'"],
      ['get without read', 'post', '/api/queues/team/other.q/get', { count: 1, ackmode: 'ack_requeue_false' }, "access to queue 'other.q' in vhost 'team' refused for user 'mgr'"],
      ['publish without write', 'post', '/api/exchanges/team/amq.direct/publish', { routing_key: 'k', payload: 'x' }, "access to exchange 'amq.direct' in vhost 'team' refused for user 'mgr'"],
      ['publish a routing key its topic permissions refuse', 'post', '/api/exchanges/team/team.topic/publish', { routing_key: 'x.y', payload: 'x' },
        "access to topic 'x.y' in exchange 'team.topic' in vhost 'team' refused for user 'mgr'"],
      ['bind from an exchange without read', 'post', '/api/bindings/team/e/amq.direct/q/team.q', { routing_key: 'k' }, "access to exchange 'amq.direct' in vhost 'team' refused for user 'mgr'"],
      ['bind to a queue without write', 'post', '/api/bindings/team/e/team.topic/q/other.q', { routing_key: 'team.k' }, "access to queue 'other.q' in vhost 'team' refused for user 'mgr'"],
      ['declare an exchange without configure', 'put', '/api/exchanges/team/other.x', { type: 'fanout' }, "access to exchange 'other.x' in vhost 'team' refused for user 'mgr'"],
      ['delete an exchange without configure', 'delete', '/api/exchanges/team/other.ex', undefined, "access to exchange 'other.ex' in vhost 'team' refused for user 'mgr'"],
      ['publish as someone else', 'post', '/api/exchanges/team/team.topic/publish', { routing_key: 'team.k', payload: 'x', properties: { user_id: 'guest' } },
        "user_id property set to 'guest' but authenticated user was 'mgr'"],
    ])('management may not %s', async (_case, method, path, body, reason) => {
      const response = await (body ? as('mgr')[method as keyof As](path).send(body) : as('mgr')[method as keyof As](path));
      expect(response.status).toBe(reason.startsWith('user_id') ? 400 : 403);
      expect(response.body).toEqual({ error: reason.startsWith('user_id') ? 'bad_request' : 'access_refused', reason });
      expect((await api.get('/api/queues/team/other.q').expect(200)).body).toMatchObject({ messages: 1 });
      await api.get('/api/exchanges/team/other.ex').expect(200);
    });

    it('administrators act in any vhost, with or without permissions there', async () => {
      await as('admin2').put('/api/queues/team/anything.admin2').send({}).expect(201);
      await as('admin2').delete('/api/queues/team/anything.admin2').expect(204);
      await as('admin2').get('/api/users').expect(200);
    });
  });
});
