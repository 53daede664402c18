/**
 * Plugs the AMQP protocol into the listener: one SocketConnection per accepted
 * socket, all known here so that shutdown, and the core's evictions (a vhost or
 * user deleted), can close them with CONNECTION_FORCED.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MESSAGE_STORE_STATUS, MessageStoreStatus } from '../../broker/ports/message-store';
import type { Socket } from 'net';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { AccessPolicy } from '../../broker/auth/access-policy';
import { LoginService } from '../../broker/auth/login';
import { ConnectionEvictions, Eviction, matchesEviction } from '../../broker/events/connection-evictions';
import { MemoryAlarm } from '../../broker/flow/memory-alarm';
import { Publisher } from '../../broker/publishing/publisher';
import { TopologyService } from '../../broker/topology/topology-service';
import { VhostLimits } from '../../broker/vhosts/vhost-limits';
import { WarrenConfig } from '../../config/warren-config';
import type { ConnectionDeps } from '../protocol/connection';
import { AmqpListener } from './amqp-listener';
import { SocketConnection } from './socket-connection';

export const DEFAULT_FRAME_MAX = 131072;
export const DEFAULT_CHANNEL_MAX = 2047;
export const DEFAULT_HEARTBEAT_SECONDS = 60;

@Injectable()
export class AmqpServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AmqpServer');
  private readonly connections = new Set<SocketConnection>();
  private nextId = 1;
  private readonly stopWatching: (() => void)[] = [];
  private readonly deps: ConnectionDeps;

  constructor(
    private readonly listener: AmqpListener,
    private readonly memory: MemoryAlarm,
    @Inject(MESSAGE_STORE_STATUS) private readonly storeStatus: MessageStoreStatus,
    private readonly evictions: ConnectionEvictions,
    topology: TopologyService,
    publisher: Publisher,
    login: LoginService,
    access: AccessPolicy,
    vhostLimits: VhostLimits,
    clients: ClientRegistry,
    config: WarrenConfig,
  ) {
    this.deps = {
      topology,
      publisher,
      login,
      access,
      vhostLimits,
      openConnectionsIn: (vhost) => this.openConnectionsIn(vhost),
      clients,
      limits: {
        frameMax: DEFAULT_FRAME_MAX,
        channelMax: DEFAULT_CHANNEL_MAX,
        heartbeatSeconds: DEFAULT_HEARTBEAT_SECONDS,
        maxMessageSize: config.MAX_MESSAGE_SIZE,
      },
      log: (level, message) => this.logger[level](message),
    };
  }

  onApplicationBootstrap(): void {
    this.listener.handleConnectionsWith((socket) => this.accept(socket));
    this.stopWatching.push(this.memory.onChange((raised) => {
      this.logger.warn(raised
        ? `memory alarm: queues hold ${this.memory.bytesHeld} bytes (limit ${this.memory.limitBytes}); blocking publishers`
        : 'memory alarm cleared');
      this.applyPublishingBlock();
    }));
    this.stopWatching.push(this.storeStatus.onChange(() => this.applyPublishingBlock()));
    this.stopWatching.push(this.evictions.subscribe((eviction) => this.evict(eviction)));
  }

  private evict(eviction: Eviction): void {
    for (const { connection } of this.connections) {
      if (!matchesEviction(eviction, connection)) continue;
      this.logger.log(`closing connection ${connection.id}: ${eviction.reason}`);
      connection.closeWith(320, `CONNECTION_FORCED - ${eviction.reason}`);
    }
  }

  private openConnectionsIn(vhost: string): number {
    let open = 0;
    for (const { connection } of this.connections) if (connection.vhost === vhost && !connection.isClosing) open++;
    return open;
  }

  /** Why publishers are held back right now, if they are. */
  private get blockReason(): string | undefined {
    if (this.memory.isRaised) return 'low on memory';
    if (!this.storeStatus.available) return 'message store unavailable';
    return undefined;
  }

  private applyPublishingBlock(): void {
    const reason = this.blockReason;
    for (const { connection } of this.connections) connection.publishingBlocked(reason);
  }

  /** Before the listener closes its sockets: tell every client why. */
  async onModuleDestroy(): Promise<void> {
    for (const stop of this.stopWatching.splice(0)) stop();
    for (const { connection } of this.connections) {
      connection.closeWith(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'");
    }
  }

  private accept(socket: Socket): void {
    const id = `${socket.remoteAddress}:${socket.remotePort} #${this.nextId++}`;
    const connection = new SocketConnection(socket, id, this.deps, (closed) => this.connections.delete(closed));
    this.connections.add(connection);
    if (this.blockReason) connection.connection.publishingBlocked(this.blockReason);
  }
}
