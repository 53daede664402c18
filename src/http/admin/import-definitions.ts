/**
 * Imports a definitions file through the domain services, like any other change,
 * in RabbitMQ's order: users, vhosts (created when missing), permissions, topic
 * permissions, vhost limits, then exchanges, queues and bindings (which need both
 * ends). Every vhost an item names is checked first, so a file naming a vhost
 * that neither exists nor is defined in it changes nothing; past that, the import
 * is not atomic: a declaration the domain refuses (an inequivalent redeclare, say)
 * stops it there, with what came before kept. A per-vhost file carries only
 * parameters, exchanges, queues and bindings, as RabbitMQ's does.
 */
import { BadRequestException } from '@nestjs/common';
import type { HashingAlgorithm } from '../../broker/auth/password-hash';
import type { PermissionService } from '../../broker/auth/permissions';
import { parseTags, UserService } from '../../broker/auth/users';
import type { TopologyService } from '../../broker/topology/topology-service';
import type { VhostLimits } from '../../broker/vhosts/vhost-limits';
import type { VhostService } from '../../broker/vhosts/vhost-service';
import type { DefinitionsDto, UserDefinitionDto, VhostDefinitionDto } from './dto/definitions.dto';

export interface DefinitionTargets {
  topology: TopologyService;
  users: UserService;
  permissions: PermissionService;
  vhosts: VhostService;
  limits: VhostLimits;
}

export async function importDefinitions(targets: DefinitionTargets, definitions: DefinitionsDto, onlyVhost?: string): Promise<void> {
  const { topology } = targets;
  const vhostOf = (item: { vhost?: string }, what: string): string => {
    const vhost = onlyVhost ?? item.vhost;
    if (vhost === undefined) throw new BadRequestException(`${what} has no vhost; import a per-vhost file at /api/definitions/{vhost}`);
    return vhost;
  };
  const exchanges = (definitions.exchanges ?? []).map((x) => ({ ...x, vhost: vhostOf(x, `exchange '${x.name}'`) }));
  const queues = (definitions.queues ?? []).map((q) => ({ ...q, vhost: vhostOf(q, `queue '${q.name}'`) }));
  const bindings = (definitions.bindings ?? []).map((b) => ({ ...b, vhost: vhostOf(b, `binding from '${b.source}'`) }));
  const parameters = (definitions.parameters ?? []).map((p) => ({ ...p, vhost: vhostOf(p, `parameter '${p.name}'`) }));
  const whole = onlyVhost === undefined;
  const users = whole ? definitions.users ?? [] : [];
  const vhosts = whole ? definitions.vhosts ?? [] : [];
  const permissions = whole ? definitions.permissions ?? [] : [];
  const topicPermissions = whole ? definitions.topic_permissions ?? [] : [];

  const defined = new Set(vhosts.map((v) => v.name));
  const named = [...exchanges, ...queues, ...bindings, ...parameters, ...permissions, ...topicPermissions].map((item) => item.vhost);
  for (const vhost of new Set(named)) {
    if (!defined.has(vhost) && !topology.hasVhost(vhost)) throw new BadRequestException(`vhost '${vhost}' does not exist and the file does not define it`);
  }

  for (const user of users) await targets.users.put(user.name, userChange(user, definitions.rabbit_version ?? definitions.rabbitmq_version));
  for (const vhost of vhosts) await targets.vhosts.put(vhost.name, vhostSettings(vhost));
  for (const p of permissions) await targets.permissions.set({ user: p.user, vhost: p.vhost, configure: p.configure, write: p.write, read: p.read });
  for (const p of topicPermissions) await targets.permissions.setTopic({ user: p.user, vhost: p.vhost, exchange: p.exchange, write: p.write, read: p.read });
  for (const p of parameters) await targets.limits.setAll(p.vhost, p.value);

  for (const x of exchanges) {
    await topology.declareExchange(x.vhost, x.name, { type: x.type, durable: x.durable, autoDelete: x.auto_delete, internal: x.internal, arguments: x.arguments });
  }
  for (const q of queues) {
    await topology.declareQueue(q.vhost, q.name, { durable: q.durable, exclusive: false, autoDelete: q.auto_delete, arguments: q.arguments });
  }
  for (const b of bindings) {
    await topology.bind({ vhost: b.vhost, source: b.source, destination: b.destination, destinationKind: b.destination_type, routingKey: b.routing_key, arguments: b.arguments });
  }
}

/** Files from before RabbitMQ 3.6 carry MD5 hashes without saying so, as RabbitMQ itself assumes. */
function userChange(user: UserDefinitionDto, version: string | undefined) {
  const [major, minor] = (version ?? '').split('.').map(Number);
  const legacy = major < 3 || (major === 3 && minor < 6);
  const algorithm = (user.hashing_algorithm ?? (legacy ? 'rabbit_password_hashing_md5' : undefined)) as HashingAlgorithm | undefined;
  return { passwordHash: user.password_hash ?? '', hashingAlgorithm: algorithm, tags: parseTags(user.tags) };
}

/** RabbitMQ 3.10 writes settings at the top level of a vhost, later versions in its metadata. */
function vhostSettings(vhost: VhostDefinitionDto) {
  const tags = vhost.tags ?? vhost.metadata?.tags;
  return {
    description: vhost.description ?? vhost.metadata?.description,
    tags: tags === undefined ? undefined : parseTags(tags),
    defaultQueueType: vhost.default_queue_type ?? vhost.metadata?.default_queue_type,
  };
}
