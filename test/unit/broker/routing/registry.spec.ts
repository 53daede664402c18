import { BrokerError } from '../../../../src/broker/errors';
import {
  createRouter, DirectRouter, EXCHANGE_TYPES, ExchangeTypeName, FanoutRouter, HeadersRouter, isExchangeType, TopicRouter,
} from '../../../../src/broker/routing';

describe('exchange type registry', () => {
  it.each([
    ['direct', DirectRouter],
    ['fanout', FanoutRouter],
    ['topic', TopicRouter],
    ['headers', HeadersRouter],
  ] as const)('creates a %s router', (type, routerClass) => {
    expect(createRouter(type)).toBeInstanceOf(routerClass);
  });

  it('creates a fresh router each time', () => {
    const a = createRouter<string>('fanout');
    a.bind({ destination: 'q', routingKey: '', arguments: {} });
    expect(createRouter<string>('fanout').bindingCount).toBe(0);
  });

  it('knows exactly the four AMQP types', () => {
    expect(EXCHANGE_TYPES.filter(isExchangeType)).toEqual(['direct', 'fanout', 'topic', 'headers']);
    for (const name of ['', 'Topic', 'x-consistent-hash', 'amq.topic', 'match']) expect(isExchangeType(name)).toBe(false);
  });

  it('refuses an unknown type with COMMAND_INVALID, as RabbitMQ does', () => {
    const attempt = () => createRouter('x-delayed' as ExchangeTypeName);
    expect(attempt).toThrow(BrokerError);
    expect(attempt).toThrow("COMMAND_INVALID - unknown exchange type 'x-delayed'");
  });
});
