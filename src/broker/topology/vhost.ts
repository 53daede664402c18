/** A virtual host: a namespace of exchanges, queues and the bindings between them. */
import type { Queue } from '../queue/queue';
import type { Binding } from './binding';
import { Exchange } from './exchange';

/** Every vhost starts with these, as in RabbitMQ; `amq.` names are otherwise reserved. */
export const STANDARD_EXCHANGES = [
  { name: '', type: 'direct' },
  { name: 'amq.direct', type: 'direct' },
  { name: 'amq.fanout', type: 'fanout' },
  { name: 'amq.topic', type: 'topic' },
  { name: 'amq.headers', type: 'headers' },
  { name: 'amq.match', type: 'headers' },
] as const;

/** What an operator says about a vhost (RabbitMQ's vhost metadata). */
export interface VhostSettings {
  description: string;
  tags: string[];
  /** Warren has classic queues only; kept so that definitions and the API show what was set. */
  defaultQueueType: string;
}

export const DEFAULT_VHOST_SETTINGS: VhostSettings = { description: '', tags: [], defaultQueueType: 'classic' };

export class VirtualHost {
  readonly exchanges = new Map<string, Exchange>();
  readonly queues = new Map<string, Queue>();
  readonly bindings: Binding[] = [];
  settings: VhostSettings;

  constructor(readonly name: string, settings: VhostSettings = DEFAULT_VHOST_SETTINGS) {
    this.settings = { ...settings, tags: [...settings.tags] };
    for (const { name: exchange, type } of STANDARD_EXCHANGES) {
      this.exchanges.set(exchange, new Exchange(name, exchange, { type, durable: true, autoDelete: false, internal: false, arguments: {} }));
    }
  }

  where(): string {
    return `in vhost '${this.name}'`;
  }
}

export function isStandardExchange(name: string): boolean {
  return STANDARD_EXCHANGES.some((exchange) => exchange.name === name);
}
