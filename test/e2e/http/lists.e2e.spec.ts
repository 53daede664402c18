/**
 * RabbitMQ's list parameters on every list endpoint: page and page_size with
 * the paged envelope, name with use_regex, sort on dotted paths, sort_reverse,
 * columns, and RabbitMQ's refusals of bad paging.
 */
import { useApi } from './support/http-api';

describe('HTTP API: lists', () => {
  const { api } = useApi();
  const names = (items: { name: string }[]) => items.map((item) => item.name);

  beforeAll(async () => {
    for (const [queue, messages] of [['list.b', 3], ['list.a', 1], ['List.C', 2], ['other.1', 0]] as const) {
      await api.put(`/api/queues/%2F/${queue}`).send({}).expect(201);
      for (let i = 0; i < messages; i++) {
        await api.post('/api/exchanges/%2F/amq.default/publish').send({ routing_key: queue, payload: 'x'.repeat(i + 1) }).expect(200);
      }
    }
  });

  it('sorts by vhost and name by default, as RabbitMQ does', async () => {
    const { body } = await api.get('/api/queues').expect(200);
    expect(names(body)).toEqual(['List.C', 'list.a', 'list.b', 'other.1']);
  });

  it('answers a page in RabbitMQ\'s envelope', async () => {
    const { body } = await api.get('/api/queues?page=2&page_size=3').expect(200);
    expect(body).toMatchObject({ page: 2, page_size: 3, page_count: 2, item_count: 1, filtered_count: 4, total_count: 4 });
    expect(names(body.items)).toEqual(['other.1']);
    const { body: defaults } = await api.get('/api/queues/%2F?page=1').expect(200);
    expect(defaults).toMatchObject({ page: 1, page_size: 100, page_count: 1, item_count: 4 });
  });

  it('filters by name, ignoring case, or by a case-insensitive regex, when paging', async () => {
    const { body: bySubstring } = await api.get('/api/queues?page=1&name=LIST.').expect(200);
    expect(names(bySubstring.items)).toEqual(['List.C', 'list.a', 'list.b']);
    expect(bySubstring).toMatchObject({ filtered_count: 3, total_count: 4, item_count: 3 });
    const { body: byRegex } = await api.get(`/api/queues?page=1&use_regex=true&name=${encodeURIComponent('^list\\.[ac]$')}`).expect(200);
    expect(names(byRegex.items)).toEqual(['List.C', 'list.a']);
    const { body: badRegex } = await api.get(`/api/queues?page=1&use_regex=true&name=${encodeURIComponent('(')}`).expect(200);
    expect(badRegex).toMatchObject({ filtered_count: 0, item_count: 0, items: [] });
    // Like RabbitMQ, the name filter belongs to paging: without page the whole list comes back.
    expect(names((await api.get('/api/queues?name=other').expect(200)).body)).toHaveLength(4);
  });

  it('sorts on any dotted path, reversed on request, then by the defaults', async () => {
    const { body: byMessages } = await api.get('/api/queues?sort=messages&sort_reverse=true').expect(200);
    expect(names(byMessages)).toEqual(['list.b', 'List.C', 'list.a', 'other.1']);
    const { body: byPublish } = await api.get('/api/queues?sort=message_stats.publish').expect(200);
    expect(names(byPublish)).toEqual(['other.1', 'list.a', 'List.C', 'list.b']);
    const { body: byRate } = await api.get('/api/queues?sort=message_stats.publish_details.rate&page=1&page_size=2').expect(200);
    expect(names(byRate.items)).toEqual(['List.C', 'list.a']);
    const { body: byMissing } = await api.get('/api/queues?sort=no.such.field').expect(200);
    expect(names(byMissing)).toEqual(['List.C', 'list.a', 'list.b', 'other.1']);
  });

  it('keeps only the requested columns, nested ones by their dotted path', async () => {
    const { body } = await api.get('/api/queues?columns=name,messages,message_stats.publish&sort=name').expect(200);
    expect(body[0]).toEqual({ name: 'List.C', messages: 2, message_stats: { publish: 2 } });
    const { body: paged } = await api.get('/api/queues?page=1&page_size=1&columns=name').expect(200);
    expect(paged.items).toEqual([{ name: 'List.C' }]);
    const { body: one } = await api.get('/api/queues/%2F/list.a?columns=name,durable').expect(200);
    expect(one).toEqual({ name: 'list.a', durable: false });
  });

  it('refuses bad paging as RabbitMQ does', async () => {
    expect((await api.get('/api/queues?page=abc').expect(400)).body).toEqual({ error: 'bad_request', reason: 'Pagination parameters are invalid' });
    expect((await api.get('/api/queues?page=1&page_size=501').expect(400)).body).toEqual({
      error: 'invalid_pagination_parameters', reason: 'Invalid pagination parameters: page number 1, page size 501',
    });
    expect((await api.get('/api/queues?page=0').expect(400)).body.error).toBe('invalid_pagination_parameters');
    // One page past the end is empty (RabbitMQ's lists:sublist allows it); further is out of range.
    expect((await api.get('/api/queues?page=3&page_size=2').expect(200)).body).toMatchObject({ item_count: 0, items: [], page_count: 2 });
    expect((await api.get('/api/queues?page=4&page_size=2').expect(400)).body).toEqual({
      error: 'page_out_of_range', reason: 'Page out of range, page: 4 page size: 2, len: 4',
    });
    const long = encodeURIComponent('a'.repeat(1025));
    expect((await api.get(`/api/queues?page=1&use_regex=true&name=${long}`).expect(400)).body.reason).toBe('name filter regex is too long');
  });

  it.each([
    ['/api/exchanges', 6], ['/api/exchanges/%2F', 6], ['/api/bindings', 4], ['/api/bindings/%2F', 4], ['/api/vhosts', 1],
    ['/api/queues/%2F/list.a/bindings', 1], ['/api/exchanges/%2F/amq.topic/bindings/source', 0], ['/api/nodes', 1],
    ['/api/connections', 0], ['/api/channels', 0], ['/api/consumers', 0], ['/api/vhosts/%2F/connections', 0],
  ])('pages %s too', async (path, total) => {
    const { body } = await api.get(`${path}?page=1&page_size=500`).expect(200);
    expect(body).toMatchObject({ page: 1, page_size: 500, total_count: total, item_count: total, filtered_count: total });
  });
});
