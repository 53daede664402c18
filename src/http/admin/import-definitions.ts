/**
 * Imports a definitions file through the topology service, like any other
 * declare: exchanges, then queues, then bindings (which need both ends). Every
 * vhost is checked first, so a file naming an unknown vhost changes nothing;
 * past that, the import is not atomic: a declaration the domain refuses (an
 * inequivalent redeclare, say) stops it there, with what came before kept.
 */
import { BadRequestException } from '@nestjs/common';
import type { TopologyService } from '../../broker/topology/topology-service';
import type { DefinitionsDto } from './dto/definitions.dto';

export async function importDefinitions(topology: TopologyService, definitions: DefinitionsDto, onlyVhost?: string): Promise<void> {
  const vhostOf = (item: { vhost?: string }, what: string): string => {
    const vhost = onlyVhost ?? item.vhost;
    if (vhost === undefined) throw new BadRequestException(`${what} has no vhost; import a per-vhost file at /api/definitions/{vhost}`);
    return vhost;
  };
  const exchanges = (definitions.exchanges ?? []).map((x) => ({ ...x, vhost: vhostOf(x, `exchange '${x.name}'`) }));
  const queues = (definitions.queues ?? []).map((q) => ({ ...q, vhost: vhostOf(q, `queue '${q.name}'`) }));
  const bindings = (definitions.bindings ?? []).map((b) => ({ ...b, vhost: vhostOf(b, `binding from '${b.source}'`) }));
  const named = [...(onlyVhost ? [onlyVhost] : (definitions.vhosts ?? []).map((v) => v.name)), ...[...exchanges, ...queues, ...bindings].map((i) => i.vhost)];
  for (const vhost of new Set(named)) {
    if (!topology.hasVhost(vhost)) throw new BadRequestException(`vhost '${vhost}' does not exist, and Warren cannot create vhosts yet`);
  }

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
