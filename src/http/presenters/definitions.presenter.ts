/**
 * GET /api/definitions: everything in RabbitMQ's definitions format, so a file
 * exported here imports into RabbitMQ and back: users with their password hashes
 * (administrators only reach this), vhosts with their settings, permissions,
 * topic permissions, vhost limits (as parameters of component vhost-limits, as
 * RabbitMQ writes them), exchanges except the built-in ones (they exist
 * everywhere), queues except exclusive ones (they die with their connection),
 * and the declared bindings between what is exported.
 */
import type { PermissionRecord, TopicPermissionRecord, UserRecord } from '../../broker/ports/user-store';
import type { VhostLimitValues } from '../../broker/ports/vhost-limit-store';
import type { Binding } from '../../broker/topology/binding';
import type { Exchange } from '../../broker/topology/exchange';
import type { Queue } from '../../broker/queue/queue';
import type { VirtualHost } from '../../broker/topology/vhost';
import { isStandardExchange } from '../../broker/topology/vhost';
import { toJsonTable } from './json-value';
import { PRODUCT_NAME, PRODUCT_VERSION, RABBITMQ_COMPATIBLE_VERSION } from './node';
import { presentUser } from './user.presenter';

const VERSIONS = {
  rabbit_version: RABBITMQ_COMPATIBLE_VERSION,
  rabbitmq_version: RABBITMQ_COMPATIBLE_VERSION,
  product_name: PRODUCT_NAME,
  product_version: PRODUCT_VERSION,
};

export interface AccessDefinitions {
  users: UserRecord[];
  permissions: PermissionRecord[];
  topicPermissions: TopicPermissionRecord[];
  limits: { vhost: string; value: VhostLimitValues }[];
}

export function exportDefinitions(vhosts: VirtualHost[], access: AccessDefinitions) {
  return {
    ...VERSIONS,
    users: access.users.map(presentUser),
    vhosts: vhosts.map((vhost) => ({
      name: vhost.name,
      description: vhost.settings.description,
      tags: [...vhost.settings.tags],
      default_queue_type: vhost.settings.defaultQueueType,
      metadata: { description: vhost.settings.description, tags: [...vhost.settings.tags], default_queue_type: vhost.settings.defaultQueueType },
    })),
    permissions: access.permissions.map((p) => ({ user: p.user, vhost: p.vhost, configure: p.configure, write: p.write, read: p.read })),
    topic_permissions: access.topicPermissions.map((p) => ({ user: p.user, vhost: p.vhost, exchange: p.exchange, write: p.write, read: p.read })),
    parameters: access.limits.map(limitsParameter),
    global_parameters: [],
    policies: [],
    queues: vhosts.flatMap((vhost) => exportedQueues(vhost).map((queue) => ({ name: queue.name, vhost: vhost.name, ...queueFields(queue) }))),
    exchanges: vhosts.flatMap((vhost) => exportedExchanges(vhost).map((exchange) => ({ name: exchange.name, vhost: vhost.name, ...exchangeFields(exchange) }))),
    bindings: vhosts.flatMap((vhost) => exportedBindings(vhost).map((binding) => ({ source: binding.source, vhost: vhost.name, ...bindingFields(binding) }))),
  };
}

/** One vhost's definitions: like RabbitMQ's, without users, vhosts or a vhost on each item. */
export function exportVhostDefinitions(vhost: VirtualHost, limits: VhostLimitValues) {
  return {
    ...VERSIONS,
    parameters: Object.keys(limits).length === 0 ? [] : [withoutVhost(limitsParameter({ vhost: vhost.name, value: limits }))],
    policies: [],
    queues: exportedQueues(vhost).map((queue) => ({ name: queue.name, ...queueFields(queue) })),
    exchanges: exportedExchanges(vhost).map((exchange) => ({ name: exchange.name, ...exchangeFields(exchange) })),
    bindings: exportedBindings(vhost).map((binding) => ({ source: binding.source, ...bindingFields(binding) })),
  };
}

function limitsParameter(limits: { vhost: string; value: VhostLimitValues }) {
  return { value: { ...limits.value }, vhost: limits.vhost, component: 'vhost-limits', name: 'limits' };
}

function withoutVhost<T extends { vhost: string }>(item: T): Omit<T, 'vhost'> {
  const { vhost: _vhost, ...rest } = item;
  return rest;
}

function exportedQueues(vhost: VirtualHost): Queue[] {
  return [...vhost.queues.values()].filter((queue) => !queue.settings.exclusive);
}

function exportedExchanges(vhost: VirtualHost): Exchange[] {
  return [...vhost.exchanges.values()].filter((exchange) => !isStandardExchange(exchange.name));
}

function exportedBindings(vhost: VirtualHost): Binding[] {
  return vhost.bindings.filter((binding) => binding.destinationKind === 'exchange' || !vhost.queues.get(binding.destination)?.settings.exclusive);
}

function queueFields(queue: Queue) {
  return { durable: queue.settings.durable, auto_delete: queue.settings.autoDelete, arguments: toJsonTable(queue.settings.arguments) };
}

function exchangeFields(exchange: Exchange) {
  const { settings } = exchange;
  return { type: settings.type, durable: settings.durable, auto_delete: settings.autoDelete, internal: settings.internal, arguments: toJsonTable(settings.arguments) };
}

function bindingFields(binding: Binding) {
  return { destination: binding.destination, destination_type: binding.destinationKind, routing_key: binding.routingKey, arguments: toJsonTable(binding.arguments) };
}
