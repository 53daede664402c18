/**
 * One pg connection held for a writer (publishes, or events), outside TypeORM's
 * request/response use of the pool. A failed query drops the connection; the
 * next query opens a fresh one, which is how writers ride out a database restart.
 */
import type { Pool, PoolClient, QueryResult } from 'pg';
import { isConnectionFailure } from './failure-kind';

export class DedicatedConnection {
  private client?: PoolClient;

  constructor(private readonly pool: Pool, private readonly setupSql?: string) {}

  query(sql: string, params?: unknown[]): Promise<QueryResult> {
    return this.run((client) => client.query(sql, params));
  }

  /** A named statement: prepared on first use on each connection, then only bound and executed. */
  prepared(statement: { name: string; sql: string; params: unknown[] }): Promise<QueryResult> {
    return this.run((client) => client.query({ name: statement.name, text: statement.sql, values: statement.params }));
  }

  /** Runs statements in one transaction; any failure rolls back (or drops the connection). */
  async transaction(work: (query: (sql: string, params?: unknown[]) => Promise<QueryResult>) => Promise<void>): Promise<void> {
    await this.query('BEGIN');
    try {
      await work((sql, params) => this.query(sql, params));
      await this.query('COMMIT');
    } catch (error) {
      if (this.client) await this.client.query('ROLLBACK').catch(() => this.discard(error as Error));
      throw error;
    }
  }

  private async run(work: (client: PoolClient) => Promise<QueryResult>): Promise<QueryResult> {
    const client = await this.acquire();
    try {
      return await work(client);
    } catch (error) {
      if (isConnectionFailure(error)) this.discard(error as Error);
      throw error;
    }
  }

  release(): void {
    this.client?.release();
    this.client = undefined;
  }

  private async acquire(): Promise<PoolClient> {
    if (this.client) return this.client;
    const client = await this.pool.connect();
    // A connection that dies while idle must not take the process down with it.
    client.on('error', () => this.discard());
    if (this.setupSql) await client.query(this.setupSql);
    this.client = client;
    return client;
  }

  private discard(error?: Error): void {
    const client = this.client;
    this.client = undefined;
    client?.release(error ?? true);
  }
}
