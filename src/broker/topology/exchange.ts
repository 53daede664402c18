/** An exchange: its declared settings and the router of its type, which holds its bindings. */
import { createRouter, ExchangeRouter, ExchangeTypeName } from '../routing';
import type { Queue } from '../queue/queue';
import { ExchangeCounters } from '../stats/counters';

export type Destination = Queue | Exchange;

export interface ExchangeSettings {
  type: ExchangeTypeName;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: Record<string, unknown>;
}

export class Exchange {
  readonly router: ExchangeRouter<Destination>;
  readonly stats = new ExchangeCounters();

  constructor(readonly vhost: string, readonly name: string, readonly settings: ExchangeSettings) {
    this.router = createRouter<Destination>(settings.type);
  }

  get type(): ExchangeTypeName {
    return this.settings.type;
  }

  get durable(): boolean {
    return this.settings.durable;
  }

  get isDefault(): boolean {
    return this.name === '';
  }
}

export function isExchange(destination: Destination): destination is Exchange {
  return destination instanceof Exchange;
}
