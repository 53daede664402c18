/**
 * Bindings as RabbitMQ's management API lists them. RabbitMQ shows each queue's
 * implicit binding from the default exchange (source "", routing key = queue
 * name) alongside the declared ones, so listings here include it too.
 */
import { Binding, DestinationKind, propertiesKey } from '../../broker/topology/binding';
import type { VirtualHost } from '../../broker/topology/vhost';
import { JsonValue, toJsonTable } from './json-value';

export interface BindingView {
  source: string;
  vhost: string;
  destination: string;
  destination_type: DestinationKind;
  routing_key: string;
  arguments: { [key: string]: JsonValue };
  properties_key: string;
}

/** RabbitMQ's default order of bindings (rabbit_mgmt_wm_bindings). */
export const BINDING_SORT = ['vhost', 'source', 'type', 'destination', 'routing_key', 'properties_key'];

export interface BindingFilter {
  source?: string;
  destination?: string;
  destinationKind?: DestinationKind;
}

/** The implicit default-exchange bindings first, then the declared ones, like RabbitMQ. */
export function bindingsIn(vhost: VirtualHost, filter: BindingFilter = {}): Binding[] {
  const implicit: Binding[] = [...vhost.queues.keys()].map((queue) => ({
    vhost: vhost.name, source: '', destination: queue, destinationKind: 'queue', routingKey: queue, arguments: {},
  }));
  return [...implicit, ...vhost.bindings].filter((binding) => matches(binding, filter));
}

export function presentBinding(binding: Binding): BindingView {
  return {
    source: binding.source,
    vhost: binding.vhost,
    destination: binding.destination,
    destination_type: binding.destinationKind,
    routing_key: binding.routingKey,
    arguments: toJsonTable(binding.arguments),
    properties_key: propertiesKey(binding.routingKey, binding.arguments),
  };
}

export function presentBindings(vhost: VirtualHost, filter: BindingFilter = {}): BindingView[] {
  return bindingsIn(vhost, filter).map(presentBinding);
}

function matches(binding: Binding, filter: BindingFilter): boolean {
  return (filter.source === undefined || binding.source === filter.source)
    && (filter.destination === undefined || binding.destination === filter.destination)
    && (filter.destinationKind === undefined || binding.destinationKind === filter.destinationKind);
}
