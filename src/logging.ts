/** One JSON object per line (Nest's ConsoleLogger in json mode), filtered by LOG_LEVEL. */
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { LogLevelName } from './config/warren-config';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const NEST_LEVEL: Record<LogLevelName, LogLevel> = { fatal: 'fatal', error: 'error', warn: 'warn', info: 'log', debug: 'debug', verbose: 'verbose' };

export function createLogger(level: LogLevelName): ConsoleLogger {
  const enabled = ORDER.slice(0, ORDER.indexOf(NEST_LEVEL[level]) + 1);
  return new ConsoleLogger('Warren', { json: true, colors: false, logLevels: enabled });
}
