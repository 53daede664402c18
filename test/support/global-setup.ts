/**
 * One real PostgreSQL for the whole run: DATABASE_URL when set, otherwise an
 * embedded server in a temporary directory. Test files each create their own
 * database on it (see test-database.ts), so none depends on another's leftovers.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EmbeddedPostgres } from '../../src/store/postgres/embedded-postgres';

export const TEST_SERVER_URL_VARIABLE = 'WARREN_TEST_SERVER_URL';

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env[TEST_SERVER_URL_VARIABLE] = process.env.DATABASE_URL;
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'warren-test-pg-'));
  const server = new EmbeddedPostgres({ dataDir, database: 'warren', log: () => undefined });
  process.env[TEST_SERVER_URL_VARIABLE] = await server.start();
  (globalThis as { warrenTestServer?: EmbeddedPostgres }).warrenTestServer = server;
}
