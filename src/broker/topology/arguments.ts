/**
 * Queue and exchange arguments the broker knows are validated; unknown ones are
 * kept as given, as RabbitMQ does. Equivalence on redeclare compares all of them.
 */
import { fieldValuesEqual } from '../routing/field-value';
import { preconditionFailed } from '../errors';

type Check = (value: unknown) => string | null;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const intFrom = (min: number, max = Number.MAX_SAFE_INTEGER): Check => (v) =>
  isInt(v) && v >= min && v <= max ? null : max === Number.MAX_SAFE_INTEGER ? `must be an integer of at least ${min}` : `must be an integer from ${min} to ${max}`;
const oneOf = (...values: string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}`);
const isString: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
const isBoolean: Check = (v) => (typeof v === 'boolean' ? null : 'must be a boolean');

const QUEUE_ARGUMENTS: Record<string, Check> = {
  'x-max-priority': intFrom(1, 255),
  'x-message-ttl': intFrom(0),
  'x-expires': intFrom(1),
  'x-max-length': intFrom(0),
  'x-max-length-bytes': intFrom(0),
  'x-dead-letter-exchange': isString,
  'x-dead-letter-routing-key': isString,
  'x-overflow': oneOf('drop-head', 'reject-publish', 'reject-publish-dlx'),
  'x-single-active-consumer': isBoolean,
  'x-queue-mode': oneOf('default', 'lazy'),
  'x-queue-type': oneOf('classic'),
};

const EXCHANGE_ARGUMENTS: Record<string, Check> = {
  'alternate-exchange': isString,
};

export function validateQueueArguments(vhost: string, queue: string, args: Record<string, unknown>): void {
  validate(QUEUE_ARGUMENTS, args, `queue '${queue}' in vhost '${vhost}'`);
}

export function validateExchangeArguments(vhost: string, exchange: string, args: Record<string, unknown>): void {
  validate(EXCHANGE_ARGUMENTS, args, `exchange '${exchange}' in vhost '${vhost}'`);
}

function validate(checks: Record<string, Check>, args: Record<string, unknown>, where: string): void {
  for (const [name, value] of Object.entries(args)) {
    const problem = checks[name]?.(value);
    if (problem) throw preconditionFailed(`invalid arg '${name}' for ${where}: ${problem}, got ${describe(value)}`);
  }
}

/** Throws RabbitMQ's "inequivalent arg" error for the first setting that differs. */
export function assertEquivalent(
  kind: 'queue' | 'exchange',
  where: string,
  current: Record<string, unknown>,
  requested: Record<string, unknown>,
): void {
  for (const name of Object.keys({ ...current, ...requested })) {
    if (fieldValuesEqual(current[name], requested[name])) continue;
    throw preconditionFailed(
      `inequivalent arg '${name}' for ${kind} ${where}: received ${describe(requested[name])} but current is ${describe(current[name])}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return `'${value}'`;
  try {
    return `'${JSON.stringify(value)}'`;
  } catch {
    return `'${String(value)}'`;
  }
}
