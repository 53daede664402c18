/**
 * Fanout exchange: every bound destination gets every message; routing key
 * and headers are ignored. The binding table already knows the destinations,
 * so there is nothing else to keep.
 */
import type { Headers } from '../message/message';
import { BindingTable } from './binding-table';
import type { BindingSpec, ExchangeRouter } from './exchange-type';

export class FanoutRouter<D> implements ExchangeRouter<D> {
  private readonly table = new BindingTable<D>();

  get bindingCount(): number {
    return this.table.size;
  }

  validateBinding(_spec: BindingSpec<D>): void {
    // Any routing key and any arguments are acceptable, as in RabbitMQ.
  }

  bind(spec: BindingSpec<D>): void {
    this.table.add(spec);
  }

  unbind(spec: BindingSpec<D>): void {
    this.table.remove(spec);
  }

  unbindDestination(destination: D): void {
    this.table.removeDestination(destination);
  }

  route(_routingKey: string, _headers: Headers | undefined, into: Set<D>): void {
    for (const destination of this.table.destinations()) into.add(destination);
  }
}
