/**
 * Routing a message through an exchange to the set of queues it reaches:
 * the default exchange by queue name, exchange-to-exchange bindings followed
 * once each (cycles are harmless), and the alternate exchange of an exchange none
 * of whose bindings matched.
 */
import type { Headers } from '../message/message';
import type { Queue } from '../queue/queue';
import { Destination, Exchange, isExchange } from '../topology/exchange';
import type { VirtualHost } from '../topology/vhost';

export function routeMessage(vhost: VirtualHost, exchange: Exchange, routingKey: string, headers: Headers | undefined): Set<Queue> {
  const queues = new Set<Queue>();
  const visited = new Set<Exchange>();
  routeThrough(vhost, exchange, routingKey, headers, queues, visited);
  return queues;
}

function routeThrough(vhost: VirtualHost, exchange: Exchange, routingKey: string, headers: Headers | undefined, queues: Set<Queue>, visited: Set<Exchange>): void {
  visited.add(exchange);
  if (exchange.isDefault) {
    const queue = vhost.queues.get(routingKey);
    if (queue) queues.add(queue);
    return;
  }
  const destinations = new Set<Destination>();
  exchange.router.route(routingKey, headers, destinations);
  for (const destination of destinations) {
    if (!isExchange(destination)) queues.add(destination);
    else if (!visited.has(destination)) routeThrough(vhost, destination, routingKey, headers, queues, visited);
  }
  // As in RabbitMQ, the alternate is for an exchange whose own bindings matched nothing: a match
  // on another exchange, or on a queue another path reached already, is still a match.
  if (destinations.size === 0) routeToAlternate(vhost, exchange, routingKey, headers, queues, visited);
}

function routeToAlternate(vhost: VirtualHost, exchange: Exchange, routingKey: string, headers: Headers | undefined, queues: Set<Queue>, visited: Set<Exchange>): void {
  const alternateName = exchange.settings.arguments['alternate-exchange'];
  if (typeof alternateName !== 'string') return;
  const alternate = vhost.exchanges.get(alternateName);
  if (alternate && !visited.has(alternate)) routeThrough(vhost, alternate, routingKey, headers, queues, visited);
}
