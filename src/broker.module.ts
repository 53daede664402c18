/**
 * Wires the framework-free domain core into Nest: the topology (loaded from its
 * store before anything listens), the publisher and the users. Edges inject these.
 */
import { Global, Module } from '@nestjs/common';
import { UserDirectory } from './broker/auth/users';
import { MemoryAlarm } from './broker/flow/memory-alarm';
import { MESSAGE_STORE, MessageStore } from './broker/ports/message-store';
import { TOPOLOGY_STORE, TopologyStore } from './broker/ports/topology-store';
import { Publisher } from './broker/publishing/publisher';
import { TopologyService } from './broker/topology/topology-service';
import { WarrenConfig } from './config/warren-config';

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
  ],
  exports: [TopologyService, Publisher, UserDirectory, MemoryAlarm],
})
export class BrokerModule {}
