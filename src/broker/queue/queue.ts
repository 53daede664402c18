/**
 * One queue: its declared properties, its ready messages (in priority order),
 * the count of messages out with consumers, and round-robin push delivery to
 * its consumers within their capacity.
 */
import { accessRefused } from '../errors';
import type { Message } from '../message/message';
import type { RecoveredEntry, StoredRef } from '../ports/message-store';
import type { Consumer } from './consumer';
import { LOAD_PAGE_BYTES, LOAD_PAGE_MESSAGES, QueueStorage } from './queue-storage';
import { ReadyMessages } from './ready-messages';
import type { LoadedMessage, QueuedMessage } from './queued-message';

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
  /** Set for durable queues when a message store is configured. */
  private storage?: QueueStorage;
  /** Bytes of ready messages whose bodies are paged out to the store. */
  private pagedOutBytes = 0;
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

  get isStored(): boolean {
    return this.storage !== undefined;
  }

  get storageId(): number | undefined {
    return this.storage?.queueId;
  }

  attachStorage(storage: QueueStorage): void {
    this.storage = storage;
  }

  /** The seq the next message will get; a persistent publish needs it before it is enqueued. */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /** A message routed here: queue it and hand it to a consumer if one has room. */
  enqueue(message: Message, stored?: { seq: number; ref: StoredRef }): QueuedMessage {
    const queued: QueuedMessage = {
      seq: stored ? stored.seq : this.nextSeq++,
      message,
      priority: this.ready.priorityOf(message.properties.priority),
      size: message.body.length,
      redelivered: false,
      stored: stored?.ref,
    };
    this.ready.push(queued);
    this.events.bytesHeld?.(message.body.length);
    this.stats.published++;
    this.dispatch();
    return queued;
  }

  /** Recovered entries (bodies still in the store) take their places by seq. */
  restore(entries: RecoveredEntry[]): void {
    for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
      this.ready.requeue({
        seq: entry.seq, priority: this.ready.priorityOf(entry.priority), size: entry.bodySize,
        redelivered: entry.delivered, message: undefined, stored: entry.ref,
      });
      this.pagedOutBytes += entry.bodySize;
      this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
    }
    this.dispatch();
  }

  /** A persistent message's publish is committed: past the memory budget, its body may now leave memory. */
  committed(queued: QueuedMessage): void {
    const storage = this.storage;
    if (!storage || queued.outstanding || !queued.message || this.deleted) return;
    if (this.ready.byteSize - this.pagedOutBytes <= storage.pageOutBytes) return;
    queued.message = undefined;
    this.pagedOutBytes += queued.size;
    this.events.bytesHeld?.(-queued.size);
  }

  /** basic.get: the next ready message, loaded from the store first if it was paged out. */
  async takeLoaded(ack: boolean): Promise<LoadedMessage | undefined> {
    for (;;) {
      const head = this.ready.peek();
      if (!head || this.deleted) return undefined;
      if (head.message) return this.take(ack);
      await this.loadAhead();
    }
  }

  /** An unacked message was acked, or rejected without requeue. */
  settle(message: QueuedMessage): void {
    this.unacked--;
    this.stats.acked++;
    message.outstanding = false;
    this.events.bytesHeld?.(-message.size);
    this.storage?.acked(message);
  }

  /** An unacked message comes back to its original place, marked redelivered. */
  requeue(message: QueuedMessage): void {
    this.unacked--;
    message.outstanding = false;
    if (this.deleted) return this.events.bytesHeld?.(-message.size);
    message.redelivered = true;
    this.stats.redelivered++;
    this.ready.requeue(message);
    this.dispatch();
  }

  /**
   * Removes the ready messages and returns how many there were. Unacked ones stay with
   * their consumers, and stay live in the store: if they come back, they are kept.
   */
  async purge(): Promise<number> {
    const refs = this.storage ? [...this.ready].flatMap((queued) => (queued.stored ? [queued.stored] : [])) : [];
    const count = this.clearReady();
    if (refs.length > 0) await this.storage!.purge(refs);
    return count;
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
    return this.clearReady();
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
        if (!this.ready.peek()!.message) {
          void this.loadAhead();
          break;
        }
        const consumer = this.nextConsumerWithCapacity();
        if (!consumer) break;
        const message = this.ready.shift() as LoadedMessage;
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

  /**
   * The next ready message if it is in memory (always, for a queue without storage);
   * undefined when the queue is empty or its head is paged out: use takeLoaded then.
   */
  take(ack: boolean): LoadedMessage | undefined {
    const head = this.ready.peek();
    if (!head?.message) return undefined;
    const message = this.ready.shift() as LoadedMessage;
    this.handedOut(message, ack);
    return message;
  }

  private handedOut(message: QueuedMessage, ack: boolean): void {
    this.stats.delivered++;
    if (ack) {
      this.unacked++;
      message.outstanding = true;
      this.storage?.delivered(message);
      return;
    }
    this.stats.acked++;
    this.events.bytesHeld?.(-message.size);
    this.storage?.acked(message);
  }

  private clearReady(): number {
    this.events.bytesHeld?.(-(this.ready.byteSize - this.pagedOutBytes));
    this.pagedOutBytes = 0;
    return this.ready.clear();
  }

  /** Brings the next page of paged-out bodies, in delivery order, back into memory. */
  private loadAhead(): Promise<void> {
    if (!this.storage) return Promise.resolve();
    const stubs: QueuedMessage[] = [];
    let bytes = 0;
    for (const queued of this.ready) {
      if (stubs.length >= LOAD_PAGE_MESSAGES || bytes >= LOAD_PAGE_BYTES) break;
      if (queued.message) continue;
      stubs.push(queued);
      bytes += queued.size;
    }
    if (stubs.length === 0) return Promise.resolve();
    return this.storage.load(stubs, (queued) => {
      this.pagedOutBytes -= queued.size;
      this.events.bytesHeld?.(queued.size);
    }).then(() => this.dispatch());
  }
}

export function maxPriorityOf(args: Record<string, unknown>): number {
  const value = args['x-max-priority'];
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? Math.min(value, 255) : 0;
}
