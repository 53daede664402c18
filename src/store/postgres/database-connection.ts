/**
 * Where the database is: DATABASE_URL when given, otherwise an embedded PostgreSQL
 * under DATA_DIR that lives exactly as long as this process.
 */
import { EmbeddedPostgres } from './embedded-postgres';

export interface DatabaseConnection {
  readonly url: string;
  readonly embedded: boolean;
  /** Stops the embedded server, if any. Were this process to die first, its supervisor pipe stops it anyway. */
  stop(): Promise<void>;
}

export interface DatabaseSettings {
  DATABASE_URL?: string;
  DATA_DIR: string;
}

export async function openDatabase(
  settings: DatabaseSettings,
  log: (line: string) => void,
  options: { holdEventLoop?: boolean } = {},
): Promise<DatabaseConnection> {
  if (settings.DATABASE_URL) {
    return { url: settings.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const server = new EmbeddedPostgres({ dataDir: settings.DATA_DIR, database: 'warren', log, ...options });
  const url = await server.start();
  return { url, embedded: true, stop: () => server.stop() };
}
