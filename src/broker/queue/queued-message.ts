import type { Message } from '../message/message';

/**
 * A message's place in one queue. The same Message (and its body) may sit in
 * several queues after a fanout; each queue has its own QueuedMessage for it.
 */
export interface QueuedMessage {
  /** Order of arrival in this queue: FIFO within a priority level, and where a requeue puts it back. */
  readonly seq: number;
  readonly message: Message;
  /** Already clamped to the queue's x-max-priority (0 for a queue without priorities). */
  readonly priority: number;
  redelivered: boolean;
}
