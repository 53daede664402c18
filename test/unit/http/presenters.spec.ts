import type { LoadedMessage } from '../../../src/broker/queue/queued-message';
import { propertiesKey } from '../../../src/broker/topology/binding';
import { VirtualHost } from '../../../src/broker/topology/vhost';
import { bindingsIn, presentBinding } from '../../../src/http/presenters/binding.presenter';
import { presentFetchedMessage, presentMessageProperties, toMessageProperties } from '../../../src/http/presenters/message.presenter';
import { bindingUrl } from '../../../src/http/topology/bindings.controller';

const queued = (body: Buffer, redelivered = false): LoadedMessage => ({
  seq: 1, priority: 0, redelivered, size: body.length, message: { exchange: 'x', routingKey: 'rk', properties: { deliveryMode: 2, headers: { n: 1n } }, body },
});

describe('message presenter', () => {
  it('maps every management property to the domain and back', () => {
    const management = {
      content_type: 'a', content_encoding: 'b', headers: { h: 1 }, delivery_mode: 2, priority: 3, correlation_id: 'c', reply_to: 'd',
      expiration: '5', message_id: 'e', timestamp: 6, type: 'f', user_id: 'g', app_id: 'h', cluster_id: 'i',
    };
    const domain = toMessageProperties(management);
    expect(Object.keys(domain)).toHaveLength(14);
    expect(domain).toMatchObject({ contentType: 'a', deliveryMode: 2, correlationId: 'c', replyTo: 'd', userId: 'g', appId: 'h', clusterId: 'i' });
    expect(presentMessageProperties(domain)).toEqual(management);
  });

  it('leaves out properties that are not set', () => {
    expect(toMessageProperties({})).toEqual({});
    expect(presentMessageProperties({ priority: 0 })).toEqual({ priority: 0 });
  });

  it('presents a fetched message, text under auto when it is UTF-8', () => {
    expect(presentFetchedMessage(queued(Buffer.from('hé')), 4, { encoding: 'auto' })).toEqual({
      payload: 'hé', payload_encoding: 'string', payload_bytes: 3, redelivered: false, exchange: 'x', routing_key: 'rk', message_count: 4,
      properties: { delivery_mode: 2, headers: { n: 1 } },
    });
  });

  it('uses base64 when asked, or when the bytes are not UTF-8, including a UTF-8 character cut by truncate', () => {
    expect(presentFetchedMessage(queued(Buffer.from('ok')), 0, { encoding: 'base64' })).toMatchObject({ payload: 'b2s=', payload_encoding: 'base64' });
    expect(presentFetchedMessage(queued(Buffer.from([0xc3])), 0, { encoding: 'auto' })).toMatchObject({ payload: 'ww==', payload_encoding: 'base64' });
    expect(presentFetchedMessage(queued(Buffer.from('é')), 0, { encoding: 'auto', truncate: 1 })).toMatchObject({ payload_encoding: 'base64', payload_bytes: 2 });
  });
});

describe('binding presenter', () => {
  const vhost = new VirtualHost('/');
  vhost.queues.set('q', {} as never);
  vhost.bindings.push({ vhost: '/', source: 'amq.topic', destination: 'q', destinationKind: 'queue', routingKey: 'a.#', arguments: { 'x-k': 'v' } });

  it("lists each queue's implicit default-exchange binding first, and filters", () => {
    expect(bindingsIn(vhost).map((b) => b.source)).toEqual(['', 'amq.topic']);
    expect(bindingsIn(vhost, { source: 'amq.topic' })).toHaveLength(1);
    expect(bindingsIn(vhost, { destination: 'q', destinationKind: 'exchange' })).toEqual([]);
  });

  it("names a binding by the domain's properties key, and its URL encodes every part", () => {
    const binding = vhost.bindings[0];
    expect(presentBinding(binding)).toEqual({
      source: 'amq.topic', vhost: '/', destination: 'q', destination_type: 'queue', routing_key: 'a.#', arguments: { 'x-k': 'v' },
      properties_key: propertiesKey('a.#', { 'x-k': 'v' }),
    });
    expect(bindingUrl(binding)).toBe(`/api/bindings/%2F/e/amq.topic/q/q/${encodeURIComponent(propertiesKey('a.#', { 'x-k': 'v' }))}`);
    expect(bindingUrl({ ...binding, source: '', destinationKind: 'exchange', destination: 'a/b', arguments: {}, routingKey: '' })).toBe('/api/bindings/%2F/e/amq.default/e/a%2Fb/~');
  });
});
