/**
 * Direct exchange: a message goes to the destinations bound with exactly its
 * routing key. The default exchange "" is a direct exchange too; the topology
 * decides who may bind to it, not this router.
 */
import type { Headers } from '../message/message';
import { BindingTable, DestinationCounts } from './binding-table';
import type { BindingSpec, ExchangeRouter } from './exchange-type';

export class DirectRouter<D> implements ExchangeRouter<D> {
  private readonly table = new BindingTable<D>();
  private readonly byKey = new Map<string, DestinationCounts<D>>();

  get bindingCount(): number {
    return this.table.size;
  }

  validateBinding(_spec: BindingSpec<D>): void {
    // Any routing key and any arguments are acceptable, as in RabbitMQ.
  }

  bind(spec: BindingSpec<D>): void {
    const stored = this.table.add(spec);
    if (!stored) return;
    let destinations = this.byKey.get(stored.routingKey);
    if (!destinations) {
      destinations = new DestinationCounts<D>();
      this.byKey.set(stored.routingKey, destinations);
    }
    destinations.add(stored.destination);
  }

  unbind(spec: BindingSpec<D>): void {
    const removed = this.table.remove(spec);
    if (removed) this.forget(removed);
  }

  unbindDestination(destination: D): void {
    for (const removed of this.table.removeDestination(destination)) this.forget(removed);
  }

  route(routingKey: string, _headers: Headers | undefined, into: Set<D>): void {
    this.byKey.get(routingKey)?.addTo(into);
  }

  private forget(binding: BindingSpec<D>): void {
    const destinations = this.byKey.get(binding.routingKey);
    if (!destinations) return;
    destinations.remove(binding.destination);
    if (destinations.isEmpty) this.byKey.delete(binding.routingKey);
  }
}
