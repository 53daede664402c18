/**
 * Domain errors. Each carries an AMQP reply code and name so that every edge
 * translates it the same way: the AMQP edge closes a channel or connection with
 * `code` and a reply text starting with `name`; the HTTP edge maps `name` to a status.
 */
export const ErrorCodes = {
  CONTENT_TOO_LARGE: 311,
  NO_ROUTE: 312,
  NO_CONSUMERS: 313,
  ACCESS_REFUSED: 403,
  NOT_FOUND: 404,
  RESOURCE_LOCKED: 405,
  PRECONDITION_FAILED: 406,
  CONNECTION_FORCED: 320,
  INVALID_PATH: 402,
  FRAME_ERROR: 501,
  SYNTAX_ERROR: 502,
  COMMAND_INVALID: 503,
  CHANNEL_ERROR: 504,
  UNEXPECTED_FRAME: 505,
  RESOURCE_ERROR: 506,
  NOT_ALLOWED: 530,
  NOT_IMPLEMENTED: 540,
  INTERNAL_ERROR: 541,
} as const;

export type ErrorName = keyof typeof ErrorCodes;

/** Codes that close the whole connection rather than one channel (AMQP 0-9-1 spec, "hard errors"). */
const CONNECTION_ERRORS = new Set<ErrorName>([
  'CONNECTION_FORCED', 'INVALID_PATH', 'FRAME_ERROR', 'SYNTAX_ERROR', 'COMMAND_INVALID',
  'CHANNEL_ERROR', 'UNEXPECTED_FRAME', 'RESOURCE_ERROR', 'NOT_ALLOWED', 'NOT_IMPLEMENTED', 'INTERNAL_ERROR',
]);

export class BrokerError extends Error {
  readonly code: number;

  constructor(override readonly name: ErrorName, readonly detail: string) {
    super(`${name} - ${detail}`);
    this.code = ErrorCodes[name];
  }

  /** The reply text clients match on, e.g. "NOT_FOUND - no queue 'x' in vhost '/'". */
  get replyText(): string {
    return this.message;
  }

  get closesConnection(): boolean {
    return CONNECTION_ERRORS.has(this.name);
  }
}

export const notFound = (detail: string) => new BrokerError('NOT_FOUND', detail);
export const preconditionFailed = (detail: string) => new BrokerError('PRECONDITION_FAILED', detail);
export const accessRefused = (detail: string) => new BrokerError('ACCESS_REFUSED', detail);
export const resourceLocked = (detail: string) => new BrokerError('RESOURCE_LOCKED', detail);
export const commandInvalid = (detail: string) => new BrokerError('COMMAND_INVALID', detail);
