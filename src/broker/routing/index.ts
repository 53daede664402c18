/**
 * The registry of exchange types: the topology asks here for a router when an
 * exchange is declared, and only through the ExchangeRouter interface after that.
 */
import { commandInvalid } from '../errors';
import { DirectRouter } from './direct';
import type { ExchangeRouter, ExchangeTypeName } from './exchange-type';
import { FanoutRouter } from './fanout';
import { HeadersRouter } from './headers';
import { TopicRouter } from './topic';

export { EXCHANGE_TYPES, isExchangeType } from './exchange-type';
export type { BindingSpec, ExchangeRouter, ExchangeTypeName } from './exchange-type';
export { DirectRouter, FanoutRouter, HeadersRouter, TopicRouter };

export function createRouter<D>(type: ExchangeTypeName): ExchangeRouter<D> {
  switch (type) {
    case 'direct': return new DirectRouter<D>();
    case 'fanout': return new FanoutRouter<D>();
    case 'topic': return new TopicRouter<D>();
    case 'headers': return new HeadersRouter<D>();
    // Unreachable from typed code; a caller that skipped isExchangeType gets RabbitMQ's answer.
    default: throw commandInvalid(`unknown exchange type '${type as string}'`);
  }
}
