/**
 * Wires the framework-free domain core into Nest: the topology (loaded from its
 * store before anything listens), the publisher, users and permissions (the
 * configured user created on first start), vhost limits and lifecycle, the
 * access policy and logins, the live clients and the statistics that sample
 * their rates. Edges inject these.
 */
import { Global, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AccessPolicy } from './broker/auth/access-policy';
import { LoginService } from './broker/auth/login';
import { LoginThrottle } from './broker/auth/login-throttle';
import { PermissionService } from './broker/auth/permissions';
import { UserService } from './broker/auth/users';
import { ClientRegistry, describeClientEvent } from './broker/clients/client-registry';
import { ConnectionEvictions } from './broker/events/connection-evictions';
import { Statistics } from './broker/stats/statistics';
import { MemoryAlarm } from './broker/flow/memory-alarm';
import { MESSAGE_STORE, MessageStore } from './broker/ports/message-store';
import { TOPOLOGY_STORE, TopologyStore } from './broker/ports/topology-store';
import { USER_STORE, UserStore } from './broker/ports/user-store';
import { VHOST_LIMIT_STORE, VhostLimitStore } from './broker/ports/vhost-limit-store';
import { Publisher } from './broker/publishing/publisher';
import { DEFAULT_VHOST, TopologyService } from './broker/topology/topology-service';
import { VhostLimits } from './broker/vhosts/vhost-limits';
import { VhostService } from './broker/vhosts/vhost-service';
import { loopbackUsers, WarrenConfig } from './config/warren-config';
import { systemClock } from './system/system-clock';

/** Samples rates from the start, and stops with the application. */
@Injectable()
class StatisticsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly statistics: Statistics) {}

  onApplicationBootstrap(): void {
    this.statistics.start();
  }

  onModuleDestroy(): void {
    this.statistics.stop();
  }
}

/** Users and permissions are loaded together and know each other, so one factory builds both. */
const ACCESS_DATA = Symbol('ACCESS_DATA');
interface AccessData {
  users: UserService;
  permissions: PermissionService;
}

@Global()
@Module({
  providers: [
    {
      provide: MemoryAlarm,
      inject: [WarrenConfig],
      useFactory: (config: WarrenConfig) => new MemoryAlarm(config.QUEUE_MEMORY_LIMIT),
    },
    { provide: ConnectionEvictions, useValue: new ConnectionEvictions() },
    {
      provide: VhostLimits,
      inject: [VHOST_LIMIT_STORE],
      useFactory: async (store: VhostLimitStore) => new VhostLimits(store, await store.load()),
    },
    {
      provide: TopologyService,
      inject: [TOPOLOGY_STORE, MemoryAlarm, MESSAGE_STORE, WarrenConfig, VhostLimits],
      useFactory: async (store: TopologyStore, memory: MemoryAlarm, messages: MessageStore, config: WarrenConfig, limits: VhostLimits) => {
        const topology = new TopologyService(store, memory, { store: messages, pageOutBytes: config.QUEUE_IN_MEMORY_BYTES }, (vhost, queue, queues) =>
          limits.assertCanAddQueue(vhost, queue, queues));
        await topology.start();
        return topology;
      },
    },
    {
      provide: Publisher,
      inject: [TopologyService, MESSAGE_STORE],
      useFactory: (topology: TopologyService, messages: MessageStore) => new Publisher(topology, messages),
    },
    {
      provide: ACCESS_DATA,
      inject: [USER_STORE, TopologyService, ConnectionEvictions, WarrenConfig],
      useFactory: async (store: UserStore, topology: TopologyService, evictions: ConnectionEvictions, config: WarrenConfig): Promise<AccessData> => {
        const snapshot = await store.load();
        const known = { userExists: (name: string) => users.has(name), vhostExists: (name: string) => topology.hasVhost(name) };
        const permissions = new PermissionService(store, snapshot, known);
        const users: UserService = new UserService(store, snapshot.users, permissions, evictions);
        if (await users.ensureDefaultUser(config.DEFAULT_USER, config.DEFAULT_PASS, DEFAULT_VHOST, topology.hasVhost(DEFAULT_VHOST))) {
          new Logger('Users').log(`no users yet: created '${config.DEFAULT_USER}' (administrator, full permissions on '${DEFAULT_VHOST}') from DEFAULT_USER`);
        }
        return { users, permissions };
      },
    },
    { provide: UserService, inject: [ACCESS_DATA], useFactory: (data: AccessData) => data.users },
    { provide: PermissionService, inject: [ACCESS_DATA], useFactory: (data: AccessData) => data.permissions },
    {
      provide: AccessPolicy,
      inject: [PermissionService, TopologyService],
      useFactory: (permissions: PermissionService, topology: TopologyService) => new AccessPolicy(permissions, {
        vhostExists: (vhost) => topology.hasVhost(vhost),
        exchangeType: (vhost, exchange) => (topology.hasVhost(vhost) ? topology.vhost(vhost).exchanges.get(exchange)?.type : undefined),
      }),
    },
    {
      provide: LoginService,
      inject: [UserService, WarrenConfig],
      useFactory: (users: UserService, config: WarrenConfig) =>
        new LoginService(users, new LoginThrottle(config.LOGIN_FAILURES_PER_MINUTE), loopbackUsers(config)),
    },
    {
      provide: VhostService,
      inject: [TopologyService, PermissionService, VhostLimits, ConnectionEvictions],
      useFactory: (topology: TopologyService, permissions: PermissionService, limits: VhostLimits, evictions: ConnectionEvictions) =>
        new VhostService(topology, permissions, limits, evictions),
    },
    {
      provide: ClientRegistry,
      useFactory: () => {
        const clients = new ClientRegistry();
        const log = new Logger('Connections');
        clients.onEvent((event) => log.log(describeClientEvent(event)));
        return clients;
      },
    },
    {
      provide: Statistics,
      inject: [TopologyService, ClientRegistry, WarrenConfig],
      useFactory: (topology: TopologyService, clients: ClientRegistry, config: WarrenConfig) =>
        new Statistics(topology, clients, systemClock, config.STATS_INTERVAL_MS),
    },
    StatisticsLifecycle,
  ],
  exports: [
    TopologyService, Publisher, MemoryAlarm, UserService, PermissionService, AccessPolicy, LoginService, VhostLimits, VhostService, ConnectionEvictions,
    ClientRegistry, Statistics,
  ],
})
export class BrokerModule {}
