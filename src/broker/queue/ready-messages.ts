/**
 * The messages of one queue that wait for a consumer, in delivery order:
 * highest priority first, first-in first-out within a level. A queue without
 * x-max-priority has a single level, so it costs no more than a plain FIFO.
 */
import { Deque } from './deque';
import type { QueuedMessage } from './queued-message';

const bySeq = (m: QueuedMessage) => m.seq;

export class ReadyMessages {
  private readonly levels: Deque<QueuedMessage>[];
  private count = 0;
  private bytes = 0;

  constructor(readonly maxPriority = 0) {
    this.levels = Array.from({ length: maxPriority + 1 }, () => new Deque<QueuedMessage>());
  }

  get length(): number {
    return this.count;
  }

  /** Body bytes of the ready messages, paged out or not, for the queue's stats. */
  get byteSize(): number {
    return this.bytes;
  }

  /** Clamps a publisher's priority the way RabbitMQ does: none is 0, above the maximum is the maximum. */
  priorityOf(requested: number | undefined): number {
    if (this.maxPriority === 0 || !requested || requested < 0) return 0;
    return Math.min(Math.floor(requested), this.maxPriority);
  }

  push(message: QueuedMessage): void {
    this.levels[message.priority].push(message);
    this.count++;
    this.bytes += message.size;
  }

  /** Puts a message back where it was among the others of its level. */
  requeue(message: QueuedMessage): void {
    this.levels[message.priority].insertOrdered(message, bySeq);
    this.count++;
    this.bytes += message.size;
  }

  /** The message that shift() would return, without removing it. */
  peek(): QueuedMessage | undefined {
    for (let level = this.maxPriority; level >= 0; level--) {
      const message = this.levels[level].peek();
      if (message) return message;
    }
    return undefined;
  }

  shift(): QueuedMessage | undefined {
    for (let level = this.maxPriority; level >= 0; level--) {
      const message = this.levels[level].shift();
      if (message) {
        this.count--;
        this.bytes -= message.size;
        return message;
      }
    }
    return undefined;
  }

  /** Empties the queue and returns how many messages it held. */
  clear(): number {
    const removed = this.count;
    for (const level of this.levels) level.clear();
    this.count = 0;
    this.bytes = 0;
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<QueuedMessage> {
    for (let level = this.maxPriority; level >= 0; level--) yield* this.levels[level];
  }
}
