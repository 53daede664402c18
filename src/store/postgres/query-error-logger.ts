/**
 * TypeORM's own logger prints a failed query with its parameters, which would
 * put password hashes (a failed write to users) in the log. This one logs the
 * statement and the error only, through Nest's logger like every other line.
 */
import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

export class QueryErrorLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQueryError(error: string | Error, query: string): void {
    this.logger.error(`query failed: ${error instanceof Error ? error.message : error} (${query.slice(0, 200)})`);
  }

  logQuery(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
