/**
 * GET /api/definitions: the topology in RabbitMQ's definitions format, so a file
 * exported here imports into RabbitMQ and back. Exported: exchanges except the
 * built-in ones (they exist everywhere), queues except exclusive ones (they die
 * with their connection), and the declared bindings between what is exported.
 * Users go without a password hash: Warren's one user comes from its configuration.
 */
import type { User } from '../../broker/auth/users';
import type { Binding } from '../../broker/topology/binding';
import type { Exchange } from '../../broker/topology/exchange';
import type { Queue } from '../../broker/queue/queue';
import type { VirtualHost } from '../../broker/topology/vhost';
import { isStandardExchange } from '../../broker/topology/vhost';
import { toJsonTable } from './json-value';
import { PRODUCT_NAME, PRODUCT_VERSION, RABBITMQ_COMPATIBLE_VERSION } from './node';

const VERSIONS = {
  rabbit_version: RABBITMQ_COMPATIBLE_VERSION,
  rabbitmq_version: RABBITMQ_COMPATIBLE_VERSION,
  product_name: PRODUCT_NAME,
  product_version: PRODUCT_VERSION,
};

export function exportDefinitions(vhosts: VirtualHost[], users: User[]) {
  return {
    ...VERSIONS,
    users: users.map((user) => ({ name: user.name, tags: user.tags, limits: {} })),
    vhosts: vhosts.map((vhost) => ({ name: vhost.name, limits: [], metadata: { description: '', tags: [] } })),
    permissions: users.flatMap((user) => vhosts.map((vhost) => ({ user: user.name, vhost: vhost.name, configure: '.*', write: '.*', read: '.*' }))),
    topic_permissions: [],
    parameters: [],
    global_parameters: [],
    policies: [],
    queues: vhosts.flatMap((vhost) => exportedQueues(vhost).map((queue) => ({ name: queue.name, vhost: vhost.name, ...queueFields(queue) }))),
    exchanges: vhosts.flatMap((vhost) => exportedExchanges(vhost).map((exchange) => ({ name: exchange.name, vhost: vhost.name, ...exchangeFields(exchange) }))),
    bindings: vhosts.flatMap((vhost) => exportedBindings(vhost).map((binding) => ({ source: binding.source, vhost: vhost.name, ...bindingFields(binding) }))),
  };
}

/** One vhost's definitions: like RabbitMQ's, without users, vhosts or a vhost on each item. */
export function exportVhostDefinitions(vhost: VirtualHost) {
  return {
    ...VERSIONS,
    parameters: [],
    policies: [],
    queues: exportedQueues(vhost).map((queue) => ({ name: queue.name, ...queueFields(queue) })),
    exchanges: exportedExchanges(vhost).map((exchange) => ({ name: exchange.name, ...exchangeFields(exchange) })),
    bindings: exportedBindings(vhost).map((binding) => ({ source: binding.source, ...bindingFields(binding) })),
  };
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
