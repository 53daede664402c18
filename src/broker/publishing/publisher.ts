/**
 * Publishing: find the exchange, refuse internal ones, route, and enqueue on every
 * queue reached. The caller learns which queues took the message (for mandatory
 * returns and, later, for confirms that wait on durable storage).
 */
import { accessRefused } from '../errors';
import type { Message } from '../message/message';
import type { Queue } from '../queue/queue';
import type { TopologyService } from '../topology/topology-service';
import { routeMessage } from './route-message';

export interface PublishResult {
  queues: Queue[];
}

export class Publisher {
  constructor(private readonly topology: TopologyService) {}

  publish(vhostName: string, message: Message): PublishResult {
    const vhost = this.topology.vhost(vhostName);
    const exchange = this.topology.exchange(vhostName, message.exchange);
    if (exchange.settings.internal) throw accessRefused(`cannot publish to internal exchange '${exchange.name}' in vhost '${vhostName}'`);
    exchange.stats.publishedIn++;
    const routed = routeMessage(vhost, exchange, message.routingKey, message.properties.headers);
    const queues = [...routed];
    for (const queue of queues) queue.enqueue(message);
    if (queues.length > 0) exchange.stats.publishedOut++;
    return { queues };
  }
}
