/**
 * A fresh database per test file on the run's PostgreSQL server, dropped afterwards.
 * Usage: `const db = useTestDatabase();` at the top of a describe; `db.url` inside tests.
 */
import { randomBytes } from 'crypto';
import { Client } from 'pg';

const SERVER_URL_VARIABLE = 'WARREN_TEST_SERVER_URL';

export interface TestDatabase {
  url: string;
  name: string;
}

export async function createTestDatabase(): Promise<TestDatabase & { drop(): Promise<void> }> {
  const serverUrl = process.env[SERVER_URL_VARIABLE];
  if (!serverUrl) throw new Error(`${SERVER_URL_VARIABLE} is unset: run tests through jest's globalSetup`);
  const name = `warren_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

export function useTestDatabase(): TestDatabase {
  const database: TestDatabase = { url: '', name: '' };
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const created = await createTestDatabase();
    Object.assign(database, { url: created.url, name: created.name });
    drop = created.drop;
  });
  afterAll(() => drop());
  return database;
}

async function withAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
