/** An exchange as RabbitMQ's management API lists it, with publish_in/publish_out and their rates. */
import type { Statistics } from '../../broker/stats/statistics';
import type { Exchange } from '../../broker/topology/exchange';
import { isStandardExchange } from '../../broker/topology/vhost';
import { JsonValue, toJsonTable } from './json-value';
import { MessageStats, put } from './message-stats';

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
  message_stats: MessageStats;
}

/** The fields of an exchange's view that need no counting, for sorting and filtering lists. */
export function exchangeBasics(exchange: Exchange) {
  const { settings } = exchange;
  return {
    name: exchange.name, vhost: exchange.vhost, type: settings.type, durable: settings.durable,
    auto_delete: settings.autoDelete, internal: settings.internal, arguments: settings.arguments,
  };
}

export function presentExchange(exchange: Exchange, statistics: Statistics): ExchangeView {
  const { settings, stats } = exchange;
  const rates = statistics.exchange(exchange);
  const message_stats: MessageStats = {};
  put(message_stats, 'publish_in', stats.publishIn, rates.rate('publishIn'));
  put(message_stats, 'publish_out', stats.publishOut, rates.rate('publishOut'));
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
    message_stats,
  };
}
