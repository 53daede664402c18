import type { Queue } from './queue';
import type { LoadedMessage } from './queued-message';

/**
 * What a queue needs from whoever consumes it. The AMQP channel implements it;
 * prefetch and socket backpressure both show up as `hasCapacity() === false`.
 */
export interface Consumer {
  readonly tag: string;
  readonly exclusive: boolean;
  /** With no-ack the message is settled the moment it is handed over. */
  readonly noAck: boolean;
  hasCapacity(): boolean;
  deliver(message: LoadedMessage, queue: Queue): void;
  /** The broker ended this consumer, e.g. because its queue was deleted (basic.cancel to the client). */
  cancelledByBroker(queue: Queue): void;
}
