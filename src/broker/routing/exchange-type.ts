/**
 * The one interface every exchange type implements (after RabbitMQ's
 * rabbit_exchange_type and LavinMQ's exchange/*.cr): validate, bind, unbind, route.
 *
 * A router only knows destinations as opaque identities D: the topology passes
 * its Queue or Exchange objects and routing never looks inside them. Routing adds
 * into a caller-owned Set, so a destination reached by several bindings (or by
 * several exchanges in an exchange-to-exchange chain) is delivered once.
 */
import type { Headers } from '../message/message';

export interface BindingSpec<D> {
  destination: D;
  routingKey: string;
  arguments: Record<string, unknown>;
}

export interface ExchangeRouter<D> {
  /** Throws a BrokerError when the exchange type refuses the binding (e.g. a bad x-match). */
  validateBinding(spec: BindingSpec<D>): void;
  /** Idempotent: binding the same (destination, routing key, arguments) twice keeps one binding. */
  bind(spec: BindingSpec<D>): void;
  /** Removes exactly that binding, if present. */
  unbind(spec: BindingSpec<D>): void;
  /** Removes every binding to the destination, for when a queue or exchange is deleted. */
  unbindDestination(destination: D): void;
  /** Adds every matching destination to `into`. */
  route(routingKey: string, headers: Headers | undefined, into: Set<D>): void;
  readonly bindingCount: number;
}

export const EXCHANGE_TYPES = ['direct', 'fanout', 'topic', 'headers'] as const;
export type ExchangeTypeName = (typeof EXCHANGE_TYPES)[number];

export function isExchangeType(s: string): s is ExchangeTypeName {
  return (EXCHANGE_TYPES as readonly string[]).includes(s);
}
