import type { Message } from '../message/message';
import type { StoredRef } from '../ports/message-store';

/**
 * A message's place in one queue. The same Message (and its body) may sit in
 * several queues after a fanout; each queue has its own QueuedMessage for it.
 * A persistent message in a durable queue may be paged out: then `message` is
 * undefined until the queue loads it back from the store before handing it out.
 */
export interface QueuedMessage {
  /** Order of arrival in this queue: FIFO within a priority level, and where a requeue puts it back. */
  readonly seq: number;
  /** Already clamped to the queue's x-max-priority (0 for a queue without priorities). */
  readonly priority: number;
  /** Body bytes, known even while the body is paged out. */
  readonly size: number;
  redelivered: boolean;
  message: Message | undefined;
  /** Where the message store keeps it (persistent messages in durable queues only). */
  stored?: StoredRef;
  /** Handed to a consumer or basic.get and not yet settled or requeued. */
  outstanding?: boolean;
}

/** What queues hand out: always with its message in memory. */
export type LoadedMessage = QueuedMessage & { message: Message };
