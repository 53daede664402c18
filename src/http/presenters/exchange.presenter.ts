/** An exchange as RabbitMQ's management API lists it. */
import type { Exchange } from '../../broker/topology/exchange';
import { isStandardExchange } from '../../broker/topology/vhost';
import { JsonValue, toJsonTable } from './json-value';

export interface ExchangeView {
  name: string;
  vhost: string;
  type: string;
  durable: boolean;
  auto_delete: boolean;
  internal: boolean;
  arguments: { [key: string]: JsonValue };
  user_who_performed_action: string;
  policy: null;
  message_stats: { publish_in: number; publish_in_details: Rate; publish_out: number; publish_out_details: Rate };
}

export interface Rate {
  rate: number;
}

/** Warren keeps counters but no rates yet, so every rate reads 0. */
export const NO_RATE: Rate = { rate: 0 };

export function presentExchange(exchange: Exchange): ExchangeView {
  const { settings, stats } = exchange;
  return {
    name: exchange.name,
    vhost: exchange.vhost,
    type: settings.type,
    durable: settings.durable,
    auto_delete: settings.autoDelete,
    internal: settings.internal,
    arguments: toJsonTable(settings.arguments),
    // The domain does not record who declared an exchange; the built-in ones are the broker's own.
    user_who_performed_action: isStandardExchange(exchange.name) ? 'rmq-internal' : '',
    policy: null,
    message_stats: { publish_in: stats.publishedIn, publish_in_details: NO_RATE, publish_out: stats.publishedOut, publish_out_details: NO_RATE },
  };
}
