/**
 * Opens the database (embedded or DATABASE_URL), runs the migrations, and closes
 * it last on shutdown: after the listeners stopped and in-flight writes finished
 * (those happen in onModuleDestroy/beforeApplicationShutdown elsewhere).
 */
import { BeforeApplicationShutdown, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { MESSAGE_STORE, MESSAGE_STORE_STATUS, PROPERTIES_CODEC, PropertiesCodec } from '../../broker/ports/message-store';
import { CONNECTION_POOL_STATUS, ConnectionPoolStatus, STORE_METRICS, StoreMetrics } from '../../broker/ports/store-metrics';
import { PostgresMessageStore } from './message-log/postgres-message-store';
import { SEGMENT_MESSAGES } from './message-log/segments';
import { StoreHealth } from './message-log/store-health';
import { WarrenConfig } from '../../config/warren-config';
import { HealthRegistry } from '../../health/health-registry';
import { DatabaseConnection, openDatabase } from './database-connection';
import { createDataSource } from './data-source';
import { TOPOLOGY_STORE } from '../../broker/ports/topology-store';
import { USER_STORE } from '../../broker/ports/user-store';
import { VHOST_LIMIT_STORE } from '../../broker/ports/vhost-limit-store';
import { PostgresTopologyStore } from './postgres-topology-store';
import { PostgresUserStore } from './postgres-user-store';
import { PostgresVhostLimitStore } from './postgres-vhost-limit-store';

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

/**
 * How long shutdown waits for pending writes. A database that is down may never come
 * back, and the whole shutdown must fit in main.ts's deadline: past this, what is not
 * written is given up (those publishers were never confirmed; the connections' log
 * lines name them) and the pool can close.
 */
const FLUSH_DEADLINE_MS = 4000;

/** Writes what is pending before the pool closes: after the listeners, before the database. */
@Injectable()
class MessageStoreLifecycle implements BeforeApplicationShutdown {
  private readonly logger = new Logger('MessageStore');

  constructor(@Inject(MESSAGE_STORE) private readonly store: PostgresMessageStore, health: HealthRegistry, status: StoreHealth) {
    health.register('message_store', async () => (status.available ? null : `writes are failing: ${status.problem}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'gave up'>((done) => (timer = setTimeout(() => done('gave up'), FLUSH_DEADLINE_MS)));
    const outcome = await Promise.race([this.store.flush().then(() => 'flushed' as const), gaveUp]);
    clearTimeout(timer);
    const unwritten = this.store.close();
    if (outcome === 'flushed') this.logger.log('message store flushed');
    else this.logger.error(`message store: gave up after ${FLUSH_DEADLINE_MS} ms; ${unwritten} persistent publish(es) not written and never confirmed`);
  }
}

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
    private readonly dataSource: DataSource,
    health: HealthRegistry,
  ) {
    health.register('database', async () => {
      await this.dataSource.query('SELECT 1');
      return null;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.logger.log('connection pool closed');
    if (this.connection.embedded) {
      await this.connection.stop();
      this.logger.log('embedded PostgreSQL stopped');
    }
  }
}

/** The pg pool under TypeORM: the message store writes through it, the metrics read its state. */
function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      inject: [WarrenConfig],
      useFactory: (config: WarrenConfig) => {
        const postgresLog = new Logger('PostgreSQL');
        return openDatabase(config, (line) => postgresLog.debug(line));
      },
    },
    {
      provide: DataSource,
      inject: [DATABASE_CONNECTION],
      useFactory: async (connection: DatabaseConnection) => {
        const logger = new Logger('Database');
        const dataSource = createDataSource(connection.url);
        await dataSource.initialize();
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        logger.log(`connected to ${connection.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}; ${applied.length} migration(s) applied`);
        return dataSource;
      },
    },
    DatabaseLifecycle,
    { provide: StoreHealth, useFactory: () => new StoreHealth((line) => new Logger('MessageStore').warn(line)) },
    { provide: MESSAGE_STORE_STATUS, useExisting: StoreHealth },
    {
      provide: MESSAGE_STORE,
      inject: [DataSource, PROPERTIES_CODEC, StoreHealth, STORE_METRICS],
      useFactory: async (dataSource: DataSource, codec: PropertiesCodec, health: StoreHealth, metrics: StoreMetrics) => {
        const store = new PostgresMessageStore(poolOf(dataSource), codec, health, SEGMENT_MESSAGES, undefined, metrics);
        await store.open();
        return store;
      },
    },
    MessageStoreLifecycle,
    { provide: TOPOLOGY_STORE, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresTopologyStore(dataSource) },
    { provide: USER_STORE, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresUserStore(dataSource) },
    { provide: VHOST_LIMIT_STORE, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresVhostLimitStore(dataSource) },
    {
      provide: CONNECTION_POOL_STATUS,
      inject: [DataSource],
      useFactory: (dataSource: DataSource): ConnectionPoolStatus => {
        const pool = poolOf(dataSource);
        return {
          get total() { return pool.totalCount; },
          get idle() { return pool.idleCount; },
          get waiting() { return pool.waitingCount; },
        };
      },
    },
  ],
  exports: [DataSource, TOPOLOGY_STORE, USER_STORE, VHOST_LIMIT_STORE, MESSAGE_STORE, MESSAGE_STORE_STATUS, CONNECTION_POOL_STATUS],
})
export class PostgresModule {}
