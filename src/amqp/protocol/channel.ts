/**
 * One AMQP channel: a flat dispatch of its methods to small handlers, content
 * assembly for publishes, consumers and their deliveries, acknowledgements,
 * prefetch, publisher confirms and transactions. Errors thrown here are turned
 * into channel or connection closes by the connection.
 */
import { randomBytes } from 'crypto';
import type { ChannelState, ClientConnection, ClientConsumer } from '../../broker/clients/live-clients';
import type { Queue } from '../../broker/queue/queue';
import { ChannelCounters } from '../../broker/stats/counters';
import type { LoadedMessage } from '../../broker/queue/queued-message';
import type { Message } from '../../broker/message/message';
import { encodeBasicProperties, encodeContentCommand, encodeDelivery, encodeMethodFrame, Method, MethodArgs, MethodName, toPlain } from '../codec';
import type { ChannelContext } from './channel-context';
import { ChannelConsumer, ConsumerHost } from './channel-consumer';
import { ConfirmTracker } from './confirm-tracker';
import { AssembledMessage, ContentAssembler, toBasicProperties } from './content-assembler';
import { protocolError } from './protocol-error';
import { checkPublishedProperties } from './publish-checks';
import { ChannelReplyConsumer } from './reply-consumer';
import { REPLY_QUEUE } from '../../broker/direct-reply/direct-reply-to';
import * as topology from './topology-methods';
import { Unacked, UnackedDeliveries } from './unacked-deliveries';

interface Transaction {
  publishes: AssembledMessage[];
  settles: { entries: Unacked[]; requeue: boolean; ack: boolean }[];
}

export class AmqpChannel implements ConsumerHost {
  private closing = false;
  private readonly assembler: ContentAssembler;
  private readonly unacked = new UnackedDeliveries();
  private readonly subscriptions = new Map<string, ChannelConsumer>();
  private readonly memory: topology.QueueMemory = {};
  private prefetchPerConsumer = 0;
  private prefetchChannel = 0;
  private confirms?: ConfirmTracker;
  private tx?: Transaction;
  private readonly replies: ChannelReplyConsumer;
  /** Counted as messages flow; the admin API's message_stats and the metrics read them. */
  readonly stats = new ChannelCounters();

  constructor(readonly id: number, private readonly ctx: ChannelContext) {
    this.assembler = new ContentAssembler(ctx.maxMessageSize);
    this.replies = new ChannelReplyConsumer(ctx.publisher.directReplies, (tag, message) => this.deliverReply(tag, message));
  }

  get isClosing(): boolean {
    return this.closing;
  }

  // ---- ClientChannel: what the admin API shows ------------------------------

  get number(): number {
    return this.id;
  }

  get connection(): ClientConnection {
    return this.ctx.connection;
  }

  get state(): ChannelState {
    return this.closing ? 'closing' : 'running';
  }

  get prefetchCount(): number {
    return this.prefetchPerConsumer;
  }

  get globalPrefetchCount(): number {
    return this.prefetchChannel;
  }

  get messagesUnacknowledged(): number {
    return this.unacked.size;
  }

  get messagesUnconfirmed(): number {
    return this.confirms?.pendingCount ?? 0;
  }

  get messagesUncommitted(): number {
    return this.tx?.publishes.length ?? 0;
  }

  get acksUncommitted(): number {
    return this.tx?.settles.reduce((sum, settle) => sum + settle.entries.length, 0) ?? 0;
  }

  get confirm(): boolean {
    return this.confirms !== undefined;
  }

  get transactional(): boolean {
    return this.tx !== undefined;
  }

  consumers(): Iterable<ClientConsumer> {
    return this.subscriptions.values();
  }

  get expectingContent(): 'header' | 'body' | undefined {
    return this.assembler.expecting;
  }

  get consumerCount(): number {
    return this.subscriptions.size;
  }

  /** Sequence numbers of publishes whose confirm has not been sent, ascending. */
  get unconfirmed(): number[] {
    return this.confirms?.unsent() ?? [];
  }

  handleMethod(m: Method): void | Promise<void> {
    switch (m.name) {
      case 'channel.flow': return this.flow(m.args.active);
      case 'exchange.declare': return this.reply(topology.exchangeDeclare(this.ctx, m.args));
      case 'exchange.delete': return this.reply(topology.exchangeDelete(this.ctx, m.args));
      case 'exchange.bind': return this.reply(topology.exchangeBind(this.ctx, m.args));
      case 'exchange.unbind': return this.reply(topology.exchangeBind(this.ctx, m.args, true));
      case 'queue.declare': return this.reply(topology.queueDeclare(this.ctx, this.memory, m.args));
      case 'queue.bind': return this.reply(topology.queueBind(this.ctx, this.memory, m.args));
      case 'queue.unbind': return this.reply(topology.queueBind(this.ctx, this.memory, m.args, true));
      case 'queue.purge': return this.reply(topology.queuePurge(this.ctx, this.memory, m.args));
      case 'queue.delete': return this.reply(topology.queueDelete(this.ctx, this.memory, m.args));
      case 'basic.qos': return this.qos(m.args);
      case 'basic.consume': return this.consume(m.args);
      case 'basic.cancel': return this.cancel(m.args);
      case 'basic.publish': return this.startPublish(m.args);
      case 'basic.get': return this.get(m.args);
      case 'basic.ack': return this.settle(m.args.deliveryTag, m.args.multiple, true, false);
      case 'basic.reject': return this.settle(m.args.deliveryTag, false, false, m.args.requeue);
      case 'basic.nack': return this.settle(m.args.deliveryTag, m.args.multiple, false, m.args.requeue);
      case 'basic.recover': return this.recover(m.args.requeue, true);
      case 'basic.recover-async': return this.recover(m.args.requeue, false);
      case 'confirm.select': return this.selectConfirms(m.args.nowait);
      case 'tx.select': return this.selectTx();
      case 'tx.commit': return this.commitTx();
      case 'tx.rollback': return this.rollbackTx();
      default: throw protocolError('COMMAND_INVALID', `unexpected method ${m.name} on channel ${this.id}`);
    }
  }

  handleHeader(payload: Buffer): void {
    const assembled = this.assembler.header(payload);
    if (assembled) this.published(assembled);
  }

  handleBody(payload: Buffer): void {
    const assembled = this.assembler.bodyPart(payload);
    if (assembled) this.published(assembled);
  }

  /** The channel is closing (by either side) or its connection went: give back what it holds. */
  release(): void {
    this.closing = true;
    this.assembler.abandon();
    for (const consumer of this.subscriptions.values()) {
      consumer.active = false;
      consumer.queue.removeConsumer(consumer);
    }
    this.subscriptions.clear();
    this.replies.release();
    this.tx = undefined;
    for (const entry of this.unacked.takeAll()) entry.queue.requeue(entry.message);
  }

  flushConfirms(): void {
    if (!this.confirms || this.closing) return;
    for (const frame of this.confirms.flush()) {
      if (frame.kind === 'ack') this.send('basic.ack', { deliveryTag: frame.deliveryTag, multiple: frame.multiple });
      else this.send('basic.nack', { deliveryTag: frame.deliveryTag, multiple: frame.multiple, requeue: false });
    }
  }

  /** The socket drained: consumers may have room again. */
  resumeDeliveries(): void {
    for (const consumer of this.subscriptions.values()) consumer.queue.dispatch();
  }

  // ---- ConsumerHost --------------------------------------------------------

  canDeliver(_consumer: ChannelConsumer): boolean {
    return !this.closing && this.ctx.writable
      && (this.prefetchChannel === 0 || this.unacked.size < this.prefetchChannel);
  }

  deliver(consumer: ChannelConsumer, queued: LoadedMessage, queue: Queue): void {
    const deliveryTag = this.unacked.nextTag();
    if (!consumer.noAck) {
      this.unacked.add({ deliveryTag, queue, message: queued, consumerTag: consumer.tag });
      consumer.unacked++;
      this.stats.deliver++;
    } else {
      this.stats.deliverNoAck++;
    }
    if (queued.redelivered) this.stats.redeliver++;
    const { message } = queued;
    this.ctx.send(encodeDelivery(this.id, {
      consumerTag: consumer.tag, deliveryTag, redelivered: queued.redelivered, exchange: message.exchange, routingKey: message.routingKey,
    }, wireProperties(message), message.body, this.ctx.frameMax));
  }

  /** A direct reply-to reply: no queue, no ack, no prefetch; dropped if the channel is going. */
  private deliverReply(consumerTag: string, message: Message): void {
    if (this.closing) return;
    this.stats.deliverNoAck++;
    this.ctx.send(encodeDelivery(this.id, {
      consumerTag, deliveryTag: this.unacked.nextTag(), redelivered: false, exchange: message.exchange, routingKey: message.routingKey,
    }, wireProperties(message), message.body, this.ctx.frameMax));
  }

  consumerCancelledByBroker(consumer: ChannelConsumer): void {
    this.subscriptions.delete(consumer.tag);
    if (this.ctx.consumerCancelNotify && !this.closing) this.send('basic.cancel', { consumerTag: consumer.tag, nowait: true });
  }

  // ---- handlers ------------------------------------------------------------

  private send<K extends MethodName>(name: K, args: MethodArgs[K]): void {
    this.ctx.send(encodeMethodFrame(this.id, name, args));
  }

  private async reply(pending: Promise<topology.Reply | undefined>): Promise<void> {
    const reply = await pending;
    if (reply && !this.closing) this.ctx.send(encodeMethodFrame(this.id, reply.name, reply.args as never));
  }

  /** As RabbitMQ 3.x: a client may not pause its channel (consumers have prefetch for that). */
  private flow(active: boolean): void {
    if (!active) throw protocolError('NOT_IMPLEMENTED', 'active=false');
    this.send('channel.flow-ok', { active });
  }

  private qos(a: MethodArgs['basic.qos']): void {
    if (a.global) this.prefetchChannel = a.prefetchCount;
    else this.prefetchPerConsumer = a.prefetchCount;
    this.send('basic.qos-ok', {});
    this.resumeDeliveries();
  }

  private consume(a: MethodArgs['basic.consume']): void {
    const tag = a.consumerTag || `amq.ctag-${randomBytes(16).toString('base64url').slice(0, 22)}`;
    if (this.subscriptions.has(tag) || this.replies.tag === tag) throw protocolError('NOT_ALLOWED', `attempt to reuse consumer tag '${tag}'`);
    if (a.queue === REPLY_QUEUE) {
      this.replies.consume(tag, a.noAck);
      if (!a.nowait) this.send('basic.consume-ok', { consumerTag: tag });
      return;
    }
    const name = topology.queueName(this.memory, a.queue);
    this.ctx.access.readQueue(name);
    const queue = this.ctx.topology.queue(this.ctx.vhost, name, this.ctx.connectionId);
    const consumer = new ChannelConsumer(tag, queue, a.noAck, a.exclusive, this.prefetchPerConsumer, this, toPlain(a.arguments));
    queue.addConsumer(consumer);
    this.subscriptions.set(tag, consumer);
    if (!a.nowait) this.send('basic.consume-ok', { consumerTag: tag });
    consumer.active = true;
    queue.dispatch();
  }

  private cancel(a: MethodArgs['basic.cancel']): void {
    if (!this.replies.cancel(a.consumerTag)) this.removeConsumer(a.consumerTag);
    if (!a.nowait) this.send('basic.cancel-ok', { consumerTag: a.consumerTag });
  }

  private removeConsumer(tag: string): void {
    const consumer = this.subscriptions.get(tag);
    if (!consumer) return;
    this.subscriptions.delete(tag);
    consumer.active = false;
    consumer.queue.removeConsumer(consumer);
  }

  private startPublish(a: MethodArgs['basic.publish']): void {
    if (a.immediate) throw protocolError('NOT_IMPLEMENTED', 'immediate=true');
    this.assembler.start(a);
  }

  private published(assembled: AssembledMessage): void {
    const { exchange, routingKey, properties } = assembled.message;
    this.ctx.access.publish(exchange, routingKey);
    // RabbitMQ judges a publish when it arrives, even in a transaction: the exchange first, then the properties.
    if (this.tx || properties.userId !== undefined || properties.expiration !== undefined) this.ctx.topology.exchange(this.ctx.vhost, exchange);
    checkPublishedProperties(properties, this.ctx.user);
    this.replies.stamp(assembled.message);
    if (this.tx) this.tx.publishes.push(assembled);
    else this.route(assembled);
  }

  /** Returns the commit of a persistent message to durable queues, when there is one to wait for. */
  private route({ publish, message }: AssembledMessage): Promise<void> | undefined {
    const seq = this.confirms?.publish();
    const { routed, committed } = this.ctx.publisher.publish(this.ctx.vhost, message);
    this.ctx.published();
    this.countPublish(routed, publish.mandatory);
    if (!routed && publish.mandatory) {
      this.ctx.send(encodeContentCommand(this.id, 'basic.return', {
        replyCode: 312, replyText: 'NO_ROUTE', exchange: message.exchange, routingKey: message.routingKey,
      }, wireProperties(message), message.body, this.ctx.frameMax));
    }
    if (seq !== undefined) {
      if (!committed) this.settleConfirm(seq, true);
      else committed.then(() => this.settleConfirm(seq, true), () => this.settleConfirm(seq, false));
    }
    return committed;
  }

  private countPublish(routed: boolean, mandatory: boolean): void {
    this.stats.publish++;
    if (this.confirms) this.stats.publishConfirm++;
    if (routed) this.stats.routed++;
    else if (mandatory) this.stats.returnUnroutable++;
    else this.stats.dropUnroutable++;
  }

  private settleConfirm(seq: number, ok: boolean): void {
    if (ok) this.stats.confirm++;
    this.confirms!.settle(seq, ok);
    this.ctx.confirmsPending(this.id);
  }

  private get(a: MethodArgs['basic.get']): void | Promise<void> {
    const name = topology.queueName(this.memory, a.queue);
    this.ctx.access.readQueue(name);
    const queue = this.ctx.topology.queue(this.ctx.vhost, name, this.ctx.connectionId);
    const queued = queue.take(!a.noAck);
    if (queued || queue.messageCount === 0) return this.sendGot(queue, queued, a.noAck);
    // The head is paged out to the message store: answer once it is loaded.
    return queue.takeLoaded(!a.noAck).then((loaded) => this.sendGot(queue, loaded, a.noAck));
  }

  private sendGot(queue: Queue, queued: LoadedMessage | undefined, noAck: boolean): void {
    if (this.closing) {
      if (queued && !noAck) queue.requeue(queued);
      return;
    }
    if (!queued) {
      queue.stats.getEmpty++;
      this.stats.getEmpty++;
      return this.send('basic.get-empty', {});
    }
    const deliveryTag = this.unacked.nextTag();
    if (!noAck) this.unacked.add({ deliveryTag, queue, message: queued });
    if (noAck) this.stats.getNoAck++;
    else this.stats.get++;
    if (queued.redelivered) this.stats.redeliver++;
    const { message } = queued;
    this.ctx.send(encodeContentCommand(this.id, 'basic.get-ok', {
      deliveryTag, redelivered: queued.redelivered, exchange: message.exchange, routingKey: message.routingKey, messageCount: queue.messageCount,
    }, wireProperties(message), message.body, this.ctx.frameMax));
  }

  private settle(deliveryTag: number, multiple: boolean, ack: boolean, requeue: boolean): void {
    const entries = this.unacked.take(deliveryTag, multiple);
    if (this.tx) this.tx.settles.push({ entries, ack, requeue });
    else this.apply(entries, ack, requeue);
  }

  private apply(entries: Unacked[], ack: boolean, requeue: boolean): void {
    if (ack) this.stats.ack += entries.length;
    for (const entry of entries) {
      if (entry.consumerTag !== undefined) {
        const consumer = this.subscriptions.get(entry.consumerTag);
        if (consumer) consumer.unacked--;
      }
      if (!ack && requeue) entry.queue.requeue(entry.message);
      else entry.queue.settle(entry.message, ack);
    }
    this.resumeDeliveries();
  }

  private recover(requeue: boolean, reply: boolean): void {
    if (!requeue) throw protocolError('NOT_IMPLEMENTED', 'requeue=false');
    this.apply(this.unacked.takeAll(), false, true);
    if (reply) this.send('basic.recover-ok', {});
  }

  private selectConfirms(nowait: boolean): void {
    if (this.tx) throw protocolError('PRECONDITION_FAILED', 'cannot switch from tx to confirm mode');
    this.confirms ??= new ConfirmTracker();
    if (!nowait) this.send('confirm.select-ok', {});
  }

  private selectTx(): void {
    if (this.confirms) throw protocolError('PRECONDITION_FAILED', 'cannot switch from confirm to tx mode');
    this.tx ??= { publishes: [], settles: [] };
    this.send('tx.select-ok', {});
  }

  /** commit-ok goes out only once every persistent publish of the transaction is committed. */
  private commitTx(): void | Promise<void> {
    const tx = this.requireTx();
    this.tx = { publishes: [], settles: [] };
    const commits = tx.publishes.map((publish) => this.route(publish)).filter((commit) => commit !== undefined);
    for (const { entries, ack, requeue } of tx.settles) this.apply(entries, ack, requeue);
    if (commits.length === 0) return this.send('tx.commit-ok', {});
    return Promise.all(commits).then(() => {
      if (!this.closing) this.send('tx.commit-ok', {});
    });
  }

  private rollbackTx(): void {
    const tx = this.requireTx();
    this.tx = { publishes: [], settles: [] };
    this.unacked.restore(tx.settles.flatMap((s) => s.entries));
    this.send('tx.rollback-ok', {});
  }

  private requireTx(): Transaction {
    if (!this.tx) throw protocolError('PRECONDITION_FAILED', 'channel is not transactional');
    return this.tx;
  }
}

/** The publisher's own property bytes when it came over AMQP; encoded once and kept otherwise. */
function wireProperties(message: Message): Buffer {
  message.encodedProperties ??= encodeBasicProperties(toBasicProperties(message.properties));
  return message.encodedProperties;
}
