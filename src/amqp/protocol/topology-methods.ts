/**
 * exchange.* and queue.* methods: translate arguments and call the topology
 * service, the one path for topology changes, after the user's permissions
 * (ctx.access) allow it, at the point RabbitMQ checks them. Each returns the
 * reply to send, or undefined when the client asked for nowait.
 */
import { BrokerError, commandInvalid, notFound } from '../../broker/errors';
import { isExchangeType } from '../../broker/routing';
import type { Binding } from '../../broker/topology/binding';
import { REPLY_QUEUE } from '../../broker/direct-reply/direct-reply-to';
import { MethodArgs, toPlain } from '../codec';
import type { ChannelContext } from './channel-context';

export type Reply = { [K in keyof MethodArgs]: { name: K; args: MethodArgs[K] } }[keyof MethodArgs];

export interface QueueMemory {
  /** The last queue declared on the channel: what an empty queue name means in later methods. */
  lastQueue?: string;
}

const unlessNowait = (nowait: boolean, reply: Reply): Reply | undefined => (nowait ? undefined : reply);

export async function exchangeDeclare(ctx: ChannelContext, a: MethodArgs['exchange.declare']): Promise<Reply | undefined> {
  if (!a.passive && !isExchangeType(a.type)) throw commandInvalid(`unknown exchange type '${a.type}'`);
  const args = toPlain(a.arguments);
  await ctx.topology.declareExchange(ctx.vhost, a.exchange, {
    type: a.type, durable: a.durable, autoDelete: a.autoDelete, internal: a.internal, arguments: args,
  }, a.passive, (name, isNew) => ctx.access.declareExchange(name, args, isNew));
  return unlessNowait(a.nowait, { name: 'exchange.declare-ok', args: {} });
}

export async function exchangeDelete(ctx: ChannelContext, a: MethodArgs['exchange.delete']): Promise<Reply | undefined> {
  await ctx.topology.deleteExchange(ctx.vhost, a.exchange, { ifUnused: a.ifUnused, authorize: () => ctx.access.deleteExchange(a.exchange) })
    .catch(unlessNotFound);
  return unlessNowait(a.nowait, { name: 'exchange.delete-ok', args: {} });
}

export async function exchangeBind(ctx: ChannelContext, a: MethodArgs['exchange.bind'], unbind = false): Promise<Reply | undefined> {
  const binding: Binding = {
    vhost: ctx.vhost, source: a.source, destination: a.destination, destinationKind: 'exchange',
    routingKey: a.routingKey, arguments: toPlain(a.arguments),
  };
  ctx.access.bind(binding);
  if (unbind) await ctx.topology.unbind(binding, ctx.connectionId);
  else await ctx.topology.bind(binding, ctx.connectionId);
  return unlessNowait(a.nowait, unbind ? { name: 'exchange.unbind-ok', args: {} } : { name: 'exchange.bind-ok', args: {} });
}

export async function queueDeclare(ctx: ChannelContext, memory: QueueMemory, a: MethodArgs['queue.declare']): Promise<Reply | undefined> {
  if (a.queue === REPLY_QUEUE || ctx.publisher.directReplies.isReplyAddress(a.queue)) return declareReplyQueue(ctx, a);
  const args = toPlain(a.arguments);
  const declared = await ctx.topology.declareQueue(ctx.vhost, a.queue, {
    durable: a.durable, exclusive: a.exclusive, autoDelete: a.autoDelete, arguments: args,
  }, { passive: a.passive, owner: ctx.connectionId, authorize: (name, isNew) => ctx.access.declareQueue(name, args, isNew) });
  memory.lastQueue = declared.queue.name;
  return unlessNowait(a.nowait, {
    name: 'queue.declare-ok',
    args: { queue: declared.queue.name, messageCount: declared.messageCount, consumerCount: declared.consumerCount },
  });
}

/**
 * As RabbitMQ: every declare of the reply pseudo-queue, or of a reply address, is
 * passive; it exists (with its one consumer) while its channel consumes.
 */
function declareReplyQueue(ctx: ChannelContext, a: MethodArgs['queue.declare']): Reply | undefined {
  const exists = a.queue === REPLY_QUEUE || ctx.publisher.directReplies.isLive(a.queue);
  if (!exists) throw notFound(`no queue '${a.queue}' in vhost '${ctx.vhost}'`);
  return unlessNowait(a.nowait, { name: 'queue.declare-ok', args: { queue: a.queue, messageCount: 0, consumerCount: 1 } });
}

export async function queueBind(
  ctx: ChannelContext,
  memory: QueueMemory,
  a: MethodArgs['queue.bind'] | MethodArgs['queue.unbind'],
  unbind = false,
): Promise<Reply | undefined> {
  const queue = queueName(memory, a.queue);
  // As in RabbitMQ: an empty queue name with an empty key binds the last queue by its own name.
  const routingKey = a.queue === '' && a.routingKey === '' ? queue : a.routingKey;
  const binding: Binding = {
    vhost: ctx.vhost, source: a.exchange, destination: queue, destinationKind: 'queue', routingKey, arguments: toPlain(a.arguments),
  };
  ctx.access.bind(binding);
  if (unbind) {
    await ctx.topology.unbind(binding, ctx.connectionId);
    return { name: 'queue.unbind-ok', args: {} };
  }
  await ctx.topology.bind(binding, ctx.connectionId);
  return unlessNowait('nowait' in a && a.nowait, { name: 'queue.bind-ok', args: {} });
}

export async function queuePurge(ctx: ChannelContext, memory: QueueMemory, a: MethodArgs['queue.purge']): Promise<Reply | undefined> {
  const name = queueName(memory, a.queue);
  ctx.access.readQueue(name);
  const messageCount = await ctx.topology.purgeQueue(ctx.vhost, name, ctx.connectionId);
  return unlessNowait(a.nowait, { name: 'queue.purge-ok', args: { messageCount } });
}

export async function queueDelete(ctx: ChannelContext, memory: QueueMemory, a: MethodArgs['queue.delete']): Promise<Reply | undefined> {
  const name = queueName(memory, a.queue);
  ctx.access.deleteQueue(name);
  const messageCount = await ctx.topology.deleteQueue(ctx.vhost, name, {
    ifUnused: a.ifUnused, ifEmpty: a.ifEmpty, owner: ctx.connectionId,
  }).catch(unlessNotFound).then((count) => count ?? 0);
  return unlessNowait(a.nowait, { name: 'queue.delete-ok', args: { messageCount } });
}

/** As in RabbitMQ 3.x, exchange.delete and queue.delete of something that does not exist succeed. */
function unlessNotFound(error: unknown): undefined {
  if (error instanceof BrokerError && error.name === 'NOT_FOUND') return undefined;
  throw error;
}

/** An empty queue name means the channel's last declared queue; with none, it is an error. */
export function queueName(memory: QueueMemory, name: string): string {
  if (name !== '') return name;
  if (memory.lastQueue === undefined) throw notFoundNoQueue();
  return memory.lastQueue;
}

function notFoundNoQueue() {
  return notFound('no previously declared queue');
}
