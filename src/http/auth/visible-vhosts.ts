import type { AccessPolicy } from '../../broker/auth/access-policy';
import type { User } from '../../broker/auth/users';
import type { TopologyService } from '../../broker/topology/topology-service';
import type { VirtualHost } from '../../broker/topology/vhost';

/** The vhosts a listing shows this user: all for monitoring and administrators, else those it has permissions in. */
export function visibleVhosts(access: AccessPolicy, topology: TopologyService, user: User): VirtualHost[] {
  const visible = new Set(access.visibleVhosts(user, topology.vhosts().map((vhost) => vhost.name)));
  return topology.vhosts().filter((vhost) => visible.has(vhost.name));
}
