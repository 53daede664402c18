/**
 * Basic auth on every /api route but health and docs, and the error contract:
 * whatever a client sends, the answer is a 4xx with {error, reason}, never a 500.
 */
import { HTTP_BODY_LIMIT_BYTES } from '../../../src/http/setup-http-api';
import { useApi } from './support/http-api';

describe('HTTP API: authentication and errors', () => {
  const { api } = useApi();

  describe('Basic auth', () => {
    it.each([
      ['no credentials', undefined],
      ['a wrong password', `Basic ${Buffer.from('guest:wrong').toString('base64')}`],
      ['an unknown user', `Basic ${Buffer.from('nobody:guest').toString('base64')}`],
      ['another scheme', 'Bearer abc'],
      ['no colon in the credentials', `Basic ${Buffer.from('guest').toString('base64')}`],
    ])('answers 401 not_authorised with a Basic challenge for %s', async (_case, header) => {
      const req = api.anonymous().get('/api/queues');
      const response = await (header ? req.set('Authorization', header) : req).expect(401);
      expect(response.body).toEqual({ error: 'not_authorised', reason: expect.any(String) });
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
    });

    it.each(['/api/overview', '/api/exchanges', '/api/queues/%2F', '/api/bindings', '/api/vhosts', '/api/definitions', '/api/whoami'])(
      'guards GET %s',
      async (path) => {
        await api.anonymous().get(path).expect(401);
        await api.get(path).expect(200);
      },
    );

    it('guards changes too: nothing is declared without credentials', async () => {
      await api.anonymous().put('/api/queues/%2F/sneaky').send({}).expect(401);
      await api.get('/api/queues/%2F/sneaky').expect(404);
    });

    it('leaves /api/health and the API docs open', async () => {
      const health = await api.anonymous().get('/api/health');
      expect(health.status).not.toBe(401);
      expect(health.body.checks.database).toEqual({ status: 'ok' });
      await api.anonymous().get('/api/docs-json').expect(200);
    });

    it('says who is logged in at /api/whoami', async () => {
      const { body } = await api.get('/api/whoami').expect(200);
      expect(body).toEqual({ name: 'guest', tags: ['administrator'] });
    });
  });

  describe('bad requests answer 400 bad_request with a reason', () => {
    const expectBadRequest = async (response: { status: number; body: unknown }, reason: RegExp) => {
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'bad_request', reason: expect.stringMatching(reason) });
    };

    it('malformed JSON', async () => {
      const response = await api.put('/api/exchanges/%2F/x1').set('Content-Type', 'application/json').send('{"type": "direct",');
      await expectBadRequest(response, /JSON/);
    });

    it('a JSON body that is not an object', async () => {
      await expectBadRequest(await api.put('/api/queues/%2F/q-array').send([1, 2]), /must be a JSON object/);
      await api.get('/api/queues/%2F/q-array').expect(404);
    });

    it.each([
      ['durable as a string that is not a boolean', { durable: 'yes' }, /durable must be a boolean/],
      ['auto_delete as a number', { auto_delete: 1 }, /auto_delete must be a boolean/],
      ['durable as null', { durable: null }, /durable must be a boolean/],
      ['arguments as an array', { arguments: ['x'] }, /arguments must be a JSON object/],
      ['type as a number', { type: 7 }, /type must be a string/],
    ])('an exchange with %s', async (_case, body, reason) => {
      await expectBadRequest(await api.put('/api/exchanges/%2F/typed').send(body), reason);
      await api.get('/api/exchanges/%2F/typed').expect(404);
    });

    it('an unknown exchange type', async () => {
      await expectBadRequest(await api.put('/api/exchanges/%2F/x-unknown-type').send({ type: 'x-consistent-hash' }), /invalid exchange type 'x-consistent-hash'/);
    });

    it('a name longer than 255 bytes of UTF-8', async () => {
      const name = 'é'.repeat(128);
      await expectBadRequest(await api.put(`/api/queues/%2F/${encodeURIComponent(name)}`).send({}), /256 bytes .* limit is 255/);
      await expectBadRequest(await api.put(`/api/exchanges/%2F/${'x'.repeat(256)}`).send({ type: 'direct' }), /limit is 255/);
    });

    it('an inequivalent redeclare', async () => {
      await api.put('/api/queues/%2F/settled').send({ durable: true }).expect(201);
      await expectBadRequest(await api.put('/api/queues/%2F/settled').send({ durable: false }), /inequivalent arg 'durable'/);
    });

    it('a known queue argument with a bad value', async () => {
      await expectBadRequest(await api.put('/api/queues/%2F/prio').send({ arguments: { 'x-max-priority': 256 } }), /x-max-priority/);
    });

    it.each(['maybe', 'TRUE', '1'])('?if-unused=%s', async (value) => {
      await api.put('/api/exchanges/%2F/flagged').send({ type: 'fanout' }).expect((r) => expect([201, 204]).toContain(r.status));
      await expectBadRequest(await api.delete(`/api/exchanges/%2F/flagged?if-unused=${value}`), /'if-unused' accepts true or false/);
      await api.get('/api/exchanges/%2F/flagged').expect(200);
    });

    it('a repeated query flag', async () => {
      await api.put('/api/queues/%2F/twice').send({}).expect(201);
      await expectBadRequest(await api.delete('/api/queues/%2F/twice?if-empty=true&if-empty=false'), /'if-empty'/);
    });

    it.each([
      ['a NUL in a durable queue name', () => api.put('/api/queues/%2F/nul%00name').send({ durable: true }), /name contains a NUL/],
      ['a NUL in an exchange argument', () => api.put('/api/exchanges/%2F/nul-arg').send({ durable: true, arguments: { k: 'a\u0000b' } }), /arguments contains a NUL/],
      ['a NUL in an argument name', () => api.put('/api/queues/%2F/nul-key').send({ durable: true, arguments: { 'k\u0000': 1 } }), /arguments contains a NUL/],
      ['an unpaired surrogate in an argument', () => api.put('/api/queues/%2F/lone').type('json').send('{"durable":true,"arguments":{"k":"\\ud800"}}'), /unpaired UTF-16 surrogate/],
      ['a NUL in a binding key', () => api.post('/api/bindings/%2F/e/amq.direct/q/settled').send({ routing_key: 'a\u0000' }), /routing_key contains a NUL/],
      ['a NUL in an imported name', () => api.post('/api/definitions').send({ queues: [{ name: 'q\u0000', vhost: '/', durable: true }] }), /name contains a NUL/],
    ])('text the store cannot hold: %s', async (_case, send, reason) => {
      await api.put('/api/queues/%2F/settled').send({ durable: true }).expect((r) => expect([201, 204]).toContain(r.status));
      await expectBadRequest(await send(), reason);
    });

    it('a malformed percent-encoding in the path', async () => {
      await expectBadRequest(await api.get('/api/queues/%2F/%E0%A4%A'), /decode/);
    });
  });

  it('refuses a body that is not JSON with 415 and says how to send it', async () => {
    const response = await api.put('/api/exchanges/%2F/form').type('form').send('type=direct').expect(415);
    expect(response.body).toEqual({ error: 'unsupported_media_type', reason: expect.stringContaining('application/json') });
    await api.get('/api/exchanges/%2F/form').expect(404);
  });

  it("accepts bodies up to RabbitMQ's 20 MB and refuses larger ones with 413", async () => {
    await api.put('/api/exchanges/%2F/large').send({ arguments: { filler: 'x'.repeat(1_000_000) } }).expect(201);
    const response = await api.put('/api/exchanges/%2F/huge').send({ arguments: { filler: 'x'.repeat(HTTP_BODY_LIMIT_BYTES) } }).expect(413);
    expect(response.body).toEqual({ error: 'payload_too_large', reason: expect.any(String) });
  });

  it('answers an unknown route under /api with 404 JSON', async () => {
    const response = await api.get('/api/no-such-thing/at/all').expect(404);
    expect(response.body).toEqual({ error: 'not_found', reason: expect.stringContaining('/api/no-such-thing/at/all') });
    await api.post('/api/queues').send({}).expect(404);
  });

  it.each([
    ['/api/exchanges/no-such-vhost'],
    ['/api/queues/no-such-vhost/q'],
    ['/api/bindings/no-such-vhost'],
    ['/api/vhosts/no-such-vhost'],
    ['/api/definitions/no-such-vhost'],
  ])('answers 404 not_found for an unknown vhost at %s', async (path) => {
    const response = await api.get(path).expect(404);
    expect(response.body).toEqual({ error: 'not_found', reason: "no vhost 'no-such-vhost'" });
  });

  it('answers 404 with the reason for a missing object', async () => {
    expect((await api.get('/api/queues/%2F/missing').expect(404)).body).toEqual({ error: 'not_found', reason: "no queue 'missing' in vhost '/'" });
    expect((await api.get('/api/exchanges/%2F/missing').expect(404)).body).toEqual({ error: 'not_found', reason: "no exchange 'missing' in vhost '/'" });
    await api.delete('/api/queues/%2F/missing').expect(404);
    await api.delete('/api/exchanges/%2F/missing').expect(404);
  });

  it('never answers 500 to an oversized URL', async () => {
    const response = await api.get(`/api/queues/%2F/${'q'.repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
