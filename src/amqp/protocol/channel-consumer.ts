/**
 * A basic.consume subscription: the domain's Consumer, backed by its channel.
 * It counts its own unacked messages for per-consumer prefetch (qos global=false);
 * the channel decides the rest (channel-wide prefetch, socket backpressure).
 */
import type { ClientChannel, ClientConsumer } from '../../broker/clients/live-clients';
import type { Consumer } from '../../broker/queue/consumer';
import type { Queue } from '../../broker/queue/queue';
import type { LoadedMessage } from '../../broker/queue/queued-message';

export interface ConsumerHost extends ClientChannel {
  canDeliver(consumer: ChannelConsumer): boolean;
  deliver(consumer: ChannelConsumer, message: LoadedMessage, queue: Queue): void;
  consumerCancelledByBroker(consumer: ChannelConsumer): void;
}

export class ChannelConsumer implements Consumer, ClientConsumer {
  unacked = 0;
  /** Off until consume-ok is on the wire, so no delivery overtakes it. */
  active = false;
  /** The consume's arguments, as the client sent them. */
  readonly arguments: Record<string, unknown>;

  constructor(
    readonly tag: string,
    readonly queue: Queue,
    readonly noAck: boolean,
    readonly exclusive: boolean,
    /** Per-consumer prefetch in force when it subscribed; 0 means none. */
    readonly prefetch: number,
    private readonly host: ConsumerHost,
    args: Record<string, unknown> = {},
  ) {
    this.arguments = args;
  }

  get channel(): ClientChannel {
    return this.host;
  }

  get ackRequired(): boolean {
    return !this.noAck;
  }

  get prefetchCount(): number {
    return this.prefetch;
  }

  hasCapacity(): boolean {
    return this.active && (this.prefetch === 0 || this.unacked < this.prefetch) && this.host.canDeliver(this);
  }

  deliver(message: LoadedMessage, queue: Queue): void {
    this.host.deliver(this, message, queue);
  }

  cancelledByBroker(): void {
    this.active = false;
    this.host.consumerCancelledByBroker(this);
  }
}
