/** Messages and a scriptable consumer for the queue, topology and publishing tests. */
import type { Message, MessageProperties } from '../../../../src/broker/message/message';
import type { Consumer } from '../../../../src/broker/queue/consumer';
import type { Queue } from '../../../../src/broker/queue/queue';
import type { LoadedMessage, QueuedMessage } from '../../../../src/broker/queue/queued-message';

export function message(body = 'm', properties: MessageProperties = {}, routing: { exchange?: string; routingKey?: string } = {}): Message {
  return { exchange: routing.exchange ?? '', routingKey: routing.routingKey ?? '', properties, body: Buffer.from(body) };
}

export const bodyOf = (queued: QueuedMessage | undefined): string | undefined => queued?.message?.body.toString();

/**
 * A consumer with a prefetch-like window: `capacity` deliveries may be out
 * unsettled at once (Infinity by default). Settling through it frees room.
 */
export class FakeConsumer implements Consumer {
  readonly delivered: LoadedMessage[] = [];
  readonly cancellations: Queue[] = [];
  private outstanding = 0;

  constructor(
    readonly tag: string,
    readonly options: { capacity?: number; exclusive?: boolean; noAck?: boolean } = {},
  ) {}

  get exclusive(): boolean {
    return this.options.exclusive ?? false;
  }

  get noAck(): boolean {
    return this.options.noAck ?? false;
  }

  get bodies(): string[] {
    return this.delivered.map((m) => m.message.body.toString());
  }

  hasCapacity(): boolean {
    return this.outstanding < (this.options.capacity ?? Infinity);
  }

  deliver(queued: LoadedMessage): void {
    this.delivered.push(queued);
    if (!this.noAck) this.outstanding++;
  }

  /** Acks a delivered message; the queue then dispatches into the freed room. */
  ack(queue: Queue, queued: QueuedMessage): void {
    this.outstanding--;
    queue.settle(queued);
    queue.dispatch();
  }

  cancelledByBroker(queue: Queue): void {
    this.cancellations.push(queue);
  }
}
