/**
 * Typed configuration, read from the environment once at boot and validated with
 * class-validator. A bad value stops the broker with one line naming the variable
 * and what it accepts; nothing else in src is imported here so that this runs first.
 */
import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const MIB = 1024 * 1024;

export class WarrenConfig {
  @Transform(toInt)
  @IsInt({ message: 'AMQP_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  @Min(0, { message: 'AMQP_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  @Max(65535, { message: 'AMQP_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  AMQP_PORT: number = 5672;

  @Transform(toInt)
  @IsInt({ message: 'HTTP_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  @Min(0, { message: 'HTTP_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  @Max(65535, { message: 'HTTP_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  HTTP_PORT: number = 15672;

  /** Empty means every interface, as RabbitMQ listens by default. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:\-\[\]]+$/, { message: 'BIND_ADDRESS accepts an IP address or host name, or empty for all interfaces' })
  BIND_ADDRESS?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL accepts a postgres:// or postgresql:// URL, or unset for the embedded PostgreSQL' })
  DATABASE_URL?: string;

  @IsString()
  @IsNotEmpty({ message: 'DATA_DIR accepts a directory path' })
  DATA_DIR: string = './data';

  @IsString()
  @IsNotEmpty({ message: 'DEFAULT_USER accepts a non-empty user name' })
  DEFAULT_USER: string = 'guest';

  @IsString()
  @IsNotEmpty({ message: 'DEFAULT_PASS accepts a non-empty password' })
  DEFAULT_PASS: string = 'guest';

  /** RabbitMQ's loopback_users: comma-separated users who may log in only from the machine itself; empty for none. */
  @IsString()
  @Matches(/^[^\u0000]*$/, { message: 'LOOPBACK_USERS accepts comma-separated user names, or empty for none' })
  LOOPBACK_USERS: string = 'guest';

  /** Failed logins a peer address may make per minute before its logins are refused for the rest of it; 0 for no limit. */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_FAILURES_PER_MINUTE accepts a whole number from 0 (no limit) up' })
  @Min(0, { message: 'LOGIN_FAILURES_PER_MINUTE accepts a whole number from 0 (no limit) up' })
  LOGIN_FAILURES_PER_MINUTE: number = 10;

  @Transform(({ value }) => (value === '' || value === undefined ? 'info' : value === 'log' ? 'info' : value))
  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL accepts one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevelName = 'info';

  /** Largest message body accepted, checked before its memory is allocated. */
  @Transform(toInt)
  @IsInt({ message: 'MAX_MESSAGE_SIZE accepts a size in bytes from 1 to 536870912' })
  @Min(1, { message: 'MAX_MESSAGE_SIZE accepts a size in bytes from 1 to 536870912' })
  @Max(512 * MIB, { message: 'MAX_MESSAGE_SIZE accepts a size in bytes from 1 to 536870912' })
  MAX_MESSAGE_SIZE: number = 128 * MIB;

  /** Message bodies queues may hold before publishers are blocked (RabbitMQ's memory alarm). */
  @Transform(toInt)
  @IsInt({ message: 'QUEUE_MEMORY_LIMIT accepts a size in bytes of at least 1048576' })
  @Min(MIB, { message: 'QUEUE_MEMORY_LIMIT accepts a size in bytes of at least 1048576' })
  QUEUE_MEMORY_LIMIT: number = 512 * MIB;

  /** Persistent bodies a durable queue keeps in memory; past this they are paged out to PostgreSQL. */
  @Transform(toInt)
  @IsInt({ message: 'QUEUE_IN_MEMORY_BYTES accepts a size in bytes of at least 65536' })
  @Min(64 * 1024, { message: 'QUEUE_IN_MEMORY_BYTES accepts a size in bytes of at least 65536' })
  QUEUE_IN_MEMORY_BYTES: number = 8 * MIB;

  /** How often rates are sampled (RabbitMQ's collect_statistics_interval); rates cover the last interval. */
  @Transform(toInt)
  @IsInt({ message: 'STATS_INTERVAL_MS accepts milliseconds from 100 to 3600000' })
  @Min(100, { message: 'STATS_INTERVAL_MS accepts milliseconds from 100 to 3600000' })
  @Max(3600000, { message: 'STATS_INTERVAL_MS accepts milliseconds from 100 to 3600000' })
  STATS_INTERVAL_MS: number = 5000;

  /** Port of the Prometheus endpoint (rabbitmq_prometheus's); 0 picks a free one. */
  @Transform(toInt)
  @IsInt({ message: 'PROMETHEUS_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  @Min(0, { message: 'PROMETHEUS_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  @Max(65535, { message: 'PROMETHEUS_PORT accepts a TCP port from 0 to 65535 (0 picks a free one)' })
  PROMETHEUS_PORT: number = 15692;
}

/** LOOPBACK_USERS as a list. */
export function loopbackUsers(config: WarrenConfig): string[] {
  return config.LOOPBACK_USERS.split(',').map((name) => name.trim()).filter((name) => name !== '');
}

export class ConfigError extends Error {}

/** Only the variables WarrenConfig declares are read; the rest of the environment is ignored. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WarrenConfig {
  const known = Object.keys(new WarrenConfig()).concat(['BIND_ADDRESS', 'DATABASE_URL']);
  const raw: Record<string, unknown> = {};
  for (const key of known) if (env[key] !== undefined) raw[key] = env[key];
  const config = plainToInstance(WarrenConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const first = errors[0];
    const accepts = Object.values(first.constraints ?? {})[0] ?? 'is invalid';
    throw new ConfigError(`Invalid configuration: ${accepts} (got ${JSON.stringify(raw[first.property])})`);
  }
  return config;
}
