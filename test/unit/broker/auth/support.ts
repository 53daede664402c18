/** Users, permissions and the policy over memory stores, as the broker module wires them. */
import { AccessPolicy } from '../../../../src/broker/auth/access-policy';
import { PermissionService } from '../../../../src/broker/auth/permissions';
import { UserService } from '../../../../src/broker/auth/users';
import { ConnectionEvictions, Eviction } from '../../../../src/broker/events/connection-evictions';
import { MemoryUserStore } from '../../../../src/store/memory/memory-user-store';

export interface AccessFixture {
  store: MemoryUserStore;
  users: UserService;
  permissions: PermissionService;
  policy: AccessPolicy;
  evictions: Eviction[];
  vhosts: Set<string>;
  exchangeTypes: Map<string, string>;
}

export async function accessFixture(): Promise<AccessFixture> {
  const store = new MemoryUserStore();
  const vhosts = new Set(['/', 'other']);
  const exchangeTypes = new Map([['/\u0000amq.topic', 'topic'], ['/\u0000events', 'topic'], ['/\u0000amq.direct', 'direct']]);
  const evictions: Eviction[] = [];
  const events = new ConnectionEvictions();
  events.subscribe((eviction) => evictions.push(eviction));
  const snapshot = await store.load();
  const permissions = new PermissionService(store, snapshot, { userExists: (name) => users.has(name), vhostExists: (name) => vhosts.has(name) });
  const users: UserService = new UserService(store, snapshot.users, permissions, events);
  const policy = new AccessPolicy(permissions, {
    vhostExists: (vhost) => vhosts.has(vhost),
    exchangeType: (vhost, exchange) => exchangeTypes.get(`${vhost}\u0000${exchange}`),
  });
  return { store, users, permissions, policy, evictions, vhosts, exchangeTypes };
}
