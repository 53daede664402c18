/**
 * One queue: its declared properties, its ready messages (in priority order),
 * the count of messages out with consumers, and round-robin push delivery to
 * its consumers within their capacity.
 */
import { accessRefused } from '../errors';
import type { Message } from '../message/message';
import type { Consumer } from './consumer';
import { ReadyMessages } from './ready-messages';
import type { QueuedMessage } from './queued-message';

export interface QueueSettings {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: Record<string, unknown>;
}

export interface QueueEvents {
  /** An auto-delete queue lost its last consumer. */
  lastConsumerGone(queue: Queue): void;
  /** Body bytes this queue holds (ready or unacked) changed by `delta`; feeds the memory alarm. */
  bytesHeld?(delta: number): void;
}

export class Queue {
  readonly ready: ReadyMessages;
  private readonly consumerList: Consumer[] = [];
  private nextConsumer = 0;
  private nextSeq = 1;
  private unacked = 0;
  private dispatching = false;
  private deleted = false;
  private hadConsumer = false;
  /** Counters for the admin API's rates. */
  readonly stats = { published: 0, delivered: 0, acked: 0, redelivered: 0 };

  constructor(
    readonly vhost: string,
    readonly name: string,
    readonly settings: QueueSettings,
    /** Connection that owns an exclusive queue; undefined otherwise. */
    readonly owner: string | undefined,
    private readonly events: QueueEvents,
  ) {
    this.ready = new ReadyMessages(maxPriorityOf(settings.arguments));
  }

  get durable(): boolean {
    return this.settings.durable;
  }

  get isDeleted(): boolean {
    return this.deleted;
  }

  get messageCount(): number {
    return this.ready.length;
  }

  get unackedCount(): number {
    return this.unacked;
  }

  get consumerCount(): number {
    return this.consumerList.length;
  }

  get consumers(): readonly Consumer[] {
    return this.consumerList;
  }

  /** A message routed here: queue it and hand it to a consumer if one has room. */
  enqueue(message: Message): QueuedMessage {
    const queued: QueuedMessage = {
      seq: this.nextSeq++,
      message,
      priority: this.ready.priorityOf(message.properties.priority),
      redelivered: false,
    };
    this.ready.push(queued);
    this.events.bytesHeld?.(message.body.length);
    this.stats.published++;
    this.dispatch();
    return queued;
  }

  /** basic.get: the next ready message; with `ack` it stays unacked until settled or requeued. */
  take(ack: boolean): QueuedMessage | undefined {
    const message = this.ready.shift();
    if (message) this.handedOut(message, ack);
    return message;
  }

  /** An unacked message was acked, or rejected without requeue. */
  settle(message: QueuedMessage): void {
    this.unacked--;
    this.stats.acked++;
    this.events.bytesHeld?.(-message.message.body.length);
  }

  /** An unacked message comes back to its original place, marked redelivered. */
  requeue(message: QueuedMessage): void {
    this.unacked--;
    if (this.deleted) return this.events.bytesHeld?.(-message.message.body.length);
    message.redelivered = true;
    this.stats.redelivered++;
    this.ready.requeue(message);
    this.dispatch();
  }

  /** Removes the ready messages and returns how many there were; unacked ones stay with their consumers. */
  purge(): number {
    this.events.bytesHeld?.(-this.ready.byteSize);
    return this.ready.clear();
  }

  addConsumer(consumer: Consumer): void {
    const where = `queue '${this.name}' in vhost '${this.vhost}'`;
    if (this.consumerList.some((c) => c.exclusive)) throw accessRefused(`${where} in exclusive use`);
    if (consumer.exclusive && this.consumerList.length > 0) throw accessRefused(`${where} in exclusive use`);
    this.consumerList.push(consumer);
    this.hadConsumer = true;
    this.dispatch();
  }

  removeConsumer(consumer: Consumer): void {
    const index = this.consumerList.indexOf(consumer);
    if (index < 0) return;
    this.consumerList.splice(index, 1);
    if (this.nextConsumer > index) this.nextConsumer--;
    if (this.consumerList.length === 0 && this.settings.autoDelete && this.hadConsumer && !this.deleted) {
      this.events.lastConsumerGone(this);
    }
  }

  /** Called by the topology when the queue is deleted: consumers are told, and nothing is delivered after. */
  markDeleted(): number {
    this.deleted = true;
    const consumers = this.consumerList.splice(0);
    for (const consumer of consumers) consumer.cancelledByBroker(this);
    return this.purge();
  }

  /**
   * Hands ready messages to consumers round-robin while any has room. Re-entrant
   * calls (a delivery that frees room synchronously) fold into the running loop.
   */
  dispatch(): void {
    if (this.dispatching || this.deleted) return;
    this.dispatching = true;
    try {
      while (this.ready.length > 0) {
        const consumer = this.nextConsumerWithCapacity();
        if (!consumer) break;
        const message = this.ready.shift()!;
        this.handedOut(message, !consumer.noAck);
        consumer.deliver(message, this);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private nextConsumerWithCapacity(): Consumer | undefined {
    const count = this.consumerList.length;
    for (let tried = 0; tried < count; tried++) {
      const index = (this.nextConsumer + tried) % count;
      const consumer = this.consumerList[index];
      if (consumer.hasCapacity()) {
        this.nextConsumer = (index + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }

  private handedOut(message: QueuedMessage, ack: boolean): void {
    this.stats.delivered++;
    if (ack) return void this.unacked++;
    this.stats.acked++;
    this.events.bytesHeld?.(-message.message.body.length);
  }
}

export function maxPriorityOf(args: Record<string, unknown>): number {
  const value = args['x-max-priority'];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? Math.min(value, 255) : 0;
}
