/**
 * Wires the framework-free domain core into Nest: the topology (loaded from its
 * store before anything listens), the publisher, the users, the live clients
 * and the statistics that sample their rates. Edges inject these.
 */
import { Global, Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { UserDirectory } from './broker/auth/users';
import { ClientRegistry, describeClientEvent } from './broker/clients/client-registry';
import { Statistics } from './broker/stats/statistics';
import { MemoryAlarm } from './broker/flow/memory-alarm';
import { MESSAGE_STORE, MessageStore } from './broker/ports/message-store';
import { TOPOLOGY_STORE, TopologyStore } from './broker/ports/topology-store';
import { Publisher } from './broker/publishing/publisher';
import { TopologyService } from './broker/topology/topology-service';
import { WarrenConfig } from './config/warren-config';
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

@Global()
@Module({
  providers: [
    {
      provide: MemoryAlarm,
      inject: [WarrenConfig],
      useFactory: (config: WarrenConfig) => new MemoryAlarm(config.QUEUE_MEMORY_LIMIT),
    },
    {
      provide: TopologyService,
      inject: [TOPOLOGY_STORE, MemoryAlarm, MESSAGE_STORE, WarrenConfig],
      useFactory: async (store: TopologyStore, memory: MemoryAlarm, messages: MessageStore, config: WarrenConfig) => {
        const topology = new TopologyService(store, memory, { store: messages, pageOutBytes: config.QUEUE_IN_MEMORY_BYTES });
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
      provide: UserDirectory,
      inject: [WarrenConfig],
      useFactory: (config: WarrenConfig) => {
        const users = new UserDirectory();
        users.add(config.DEFAULT_USER, config.DEFAULT_PASS);
        return users;
      },
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
  exports: [TopologyService, Publisher, UserDirectory, MemoryAlarm, ClientRegistry, Statistics],
})
export class BrokerModule {}
