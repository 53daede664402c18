/**
 * The channel's side of direct reply-to (RabbitMQ's rules and reply texts): at
 * most one reply consumer per channel, no-ack only; a publish whose reply_to is
 * the pseudo-queue gets the channel's reply address stamped in, and is refused
 * when the channel has no reply consumer to answer.
 */
import { DirectReplyTo, REPLY_QUEUE } from '../../broker/direct-reply/direct-reply-to';
import type { Message, MessageProperties } from '../../broker/message/message';
import { protocolError } from './protocol-error';

export class ChannelReplyConsumer {
  private current?: { tag: string; address: string };

  constructor(private readonly registry: DirectReplyTo, private readonly deliver: (consumerTag: string, message: Message) => void) {}

  get tag(): string | undefined {
    return this.current?.tag;
  }

  /** basic.consume on amq.rabbitmq.reply-to. */
  consume(tag: string, noAck: boolean): void {
    if (!noAck) throw protocolError('PRECONDITION_FAILED', 'reply consumer cannot acknowledge');
    if (this.current) throw protocolError('PRECONDITION_FAILED', 'reply consumer already set');
    const address = this.registry.register({ deliverReply: (message) => this.deliver(tag, message) });
    this.current = { tag, address };
  }

  /** basic.cancel: true when the tag was the reply consumer's. */
  cancel(tag: string): boolean {
    if (this.current?.tag !== tag) return false;
    this.release();
    return true;
  }

  /** Rewrites reply_to = amq.rabbitmq.reply-to to this channel's reply address, before the message is routed. */
  stamp(message: Message): void {
    if (message.properties.replyTo !== REPLY_QUEUE) return;
    if (!this.current) throw protocolError('PRECONDITION_FAILED', 'fast reply consumer does not exist');
    const properties: MessageProperties = { ...message.properties, replyTo: this.current.address };
    message.properties = properties;
    // The publisher's encoded properties name the pseudo-queue: they must be encoded again.
    message.encodedProperties = undefined;
  }

  release(): void {
    if (this.current) this.registry.unregister(this.current.address);
    this.current = undefined;
  }
}
