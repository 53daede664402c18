/**
 * The one TypeORM DataSource definition. The app builds it through
 * `createDataSource(url)`; the TypeORM CLI (`npm run migration:*`) loads the
 * default export, which starts the embedded PostgreSQL when DATABASE_URL is unset.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';
import { QueryErrorLogger } from './query-error-logger';

export function createDataSource(url: string, options: { poolSize?: number; applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'warn'],
    logger: new QueryErrorLogger(),
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'warren',
  });
}

/** For the TypeORM CLI only: `typeorm -d dist/src/store/postgres/data-source.js`. */
async function dataSourceForCli(): Promise<DataSource> {
  // Imported lazily so that the app never pays for the CLI path.
  const { openDatabase } = await import('./database-connection');
  const { loadConfig } = await import('../../config/warren-config');
  // An embedded server stops by itself when the CLI process exits (see embedded-postgres.ts).
  const connection = await openDatabase(loadConfig(), () => undefined, { holdEventLoop: false });
  return createDataSource(connection.url);
}

export default process.env.TYPEORM_CLI === '1' ? dataSourceForCli() : undefined;
