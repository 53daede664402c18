/**
 * One JSON object per line (Nest's ConsoleLogger in json mode), filtered by
 * LOG_LEVEL. At info a start prints one line per lifecycle event (database,
 * listeners, ready); Nest's own bookkeeping (modules initialised, every route
 * mapped) is demoted to debug, where it helps only whoever debugs the wiring.
 */
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { LogLevelName } from './config/warren-config';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const NEST_LEVEL: Record<LogLevelName, LogLevel> = { fatal: 'fatal', error: 'error', warn: 'warn', info: 'log', debug: 'debug', verbose: 'verbose' };

/** Contexts of Nest's start-up chatter. */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class WarrenLogger extends ConsoleLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) return this.debug(message, ...rest);
    super.log(message, ...rest);
  }
}

export function createLogger(level: LogLevelName): ConsoleLogger {
  const enabled = ORDER.slice(0, ORDER.indexOf(NEST_LEVEL[level]) + 1);
  return new WarrenLogger('Warren', { json: true, colors: false, logLevels: enabled });
}
