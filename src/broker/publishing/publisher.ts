/**
 * Publishing: find the exchange, refuse internal ones, route, and enqueue on every
 * queue reached. The caller learns which queues took the message (for mandatory
 * returns, and for confirms that wait on durable storage). A reply to a direct
 * reply-to address goes straight to its channel instead (see direct-reply-to.ts).
 */
import { accessRefused } from '../errors';
import { isPersistent, Message } from '../message/message';
import { DirectReplyTo } from '../direct-reply/direct-reply-to';
import type { MessageStore } from '../ports/message-store';
import type { Queue } from '../queue/queue';
import type { TopologyService } from '../topology/topology-service';
import { routeMessage } from './route-message';

export interface PublishResult {
  queues: Queue[];
  /** It reached a queue, or a direct reply-to consumer: mandatory returns only what did not. */
  routed: boolean;
  /**
   * For a persistent message that reached durable queues: resolves once it is
   * committed to the message store. Its publisher is confirmed only then.
   */
  committed?: Promise<void>;
}

export class Publisher {
  constructor(
    private readonly topology: TopologyService,
    private readonly messages?: MessageStore,
    readonly directReplies = new DirectReplyTo(),
  ) {}

  publish(vhostName: string, message: Message): PublishResult {
    const vhost = this.topology.vhost(vhostName);
    const exchange = this.topology.exchange(vhostName, message.exchange);
    if (exchange.settings.internal) throw accessRefused(`cannot publish to internal exchange '${exchange.name}' in vhost '${vhostName}'`);
    exchange.stats.publishedIn++;
    if (exchange.isDefault && this.directReplies.isReplyAddress(message.routingKey)) {
      const routed = this.directReplies.deliver(message.routingKey, message);
      if (routed) exchange.stats.publishedOut++;
      return { queues: [], routed };
    }
    const routed = routeMessage(vhost, exchange, message.routingKey, message.properties.headers);
    const queues = [...routed];
    if (queues.length > 0) exchange.stats.publishedOut++;
    const stored = isPersistent(message) ? queues.filter((queue) => queue.isStored) : [];
    for (const queue of queues) if (!stored.includes(queue)) queue.enqueue(message);
    return { queues, routed: queues.length > 0, committed: stored.length > 0 ? this.store(message, stored) : undefined };
  }

  /**
   * Writes the message once for all its durable queues, enqueues it, and pages it out
   * when committed. If the store refuses it, the publisher is nacked and the message
   * stays in its queues as a transient one would: in memory, gone after a restart.
   */
  private store(message: Message, queues: Queue[]): Promise<void> {
    const seqs = queues.map((queue) => queue.reserveSeq());
    const { ref, committed } = this.messages!.persist(message, queues.map((queue, i) => ({
      queueId: queue.storageId!, seq: seqs[i], priority: queue.ready.priorityOf(message.properties.priority),
    })));
    const queued = queues.map((queue, i) => queue.enqueue(message, { seq: seqs[i], ref }));
    return committed.then(
      () => queues.forEach((queue, i) => queue.committed(queued[i])),
      (error: Error) => {
        for (const entry of queued) entry.stored = undefined;
        throw error;
      },
    );
  }
}
