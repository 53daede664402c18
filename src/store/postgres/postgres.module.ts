/**
 * Opens the database (embedded or DATABASE_URL), runs the migrations, and closes
 * it last on shutdown: after the listeners stopped and in-flight writes finished
 * (those happen in onModuleDestroy/beforeApplicationShutdown elsewhere).
 */
import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WarrenConfig } from '../../config/warren-config';
import { HealthRegistry } from '../../health/health-registry';
import { DatabaseConnection, openDatabase } from './database-connection';
import { createDataSource } from './data-source';
import { TOPOLOGY_STORE } from '../../broker/ports/topology-store';
import { PostgresTopologyStore } from './postgres-topology-store';

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

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
    { provide: TOPOLOGY_STORE, inject: [DataSource], useFactory: (dataSource: DataSource) => new PostgresTopologyStore(dataSource) },
  ],
  exports: [DataSource, TOPOLOGY_STORE],
})
export class PostgresModule {}
