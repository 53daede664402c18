/**
 * RabbitMQ's direct reply-to: RPC replies that go straight to the requesting
 * channel, with no queue declared. A channel consuming the pseudo-queue
 * `amq.rabbitmq.reply-to` (no-ack) is registered here under a reply address,
 * `amq.rabbitmq.reply-to.<token>`, which its requests carry as reply_to. A reply
 * published to that address through the default exchange reaches that consumer
 * and no other. The token is 192 random bits: knowing one address tells nothing
 * about another, so no client can read replies meant for someone else.
 */
import { randomBytes } from 'crypto';
import type { Message } from '../message/message';

export const REPLY_QUEUE = 'amq.rabbitmq.reply-to';
const REPLY_PREFIX = `${REPLY_QUEUE}.`;

/** A channel's reply consumer: replies are handed over as they are published, never queued. */
export interface ReplyConsumer {
  deliverReply(message: Message): void;
}

export class DirectReplyTo {
  private readonly consumers = new Map<string, ReplyConsumer>();

  /** Registers a reply consumer and returns the reply address its requests carry. */
  register(consumer: ReplyConsumer): string {
    const address = REPLY_PREFIX + randomBytes(24).toString('base64url');
    this.consumers.set(address, consumer);
    return address;
  }

  unregister(address: string): void {
    this.consumers.delete(address);
  }

  /** Whether a routing key of the default exchange (or a queue name) names a reply address rather than a queue. */
  isReplyAddress(name: string): boolean {
    return name.startsWith(REPLY_PREFIX);
  }

  isLive(address: string): boolean {
    return this.consumers.has(address);
  }

  /** Hands the reply to its consumer; false when that channel is gone (the reply is dropped, or returned). */
  deliver(address: string, message: Message): boolean {
    const consumer = this.consumers.get(address);
    if (!consumer) return false;
    consumer.deliverReply(message);
    return true;
  }
}
