/**
 * How every failure looks at the HTTP edge: a status and `{error, reason}`, as
 * RabbitMQ's management API answers. This is the one table from domain error
 * names to statuses; the filter next door only writes what this returns.
 *
 * Choices (RabbitMQ itself is not consistent here):
 * - NOT_FOUND -> 404 not_found.
 * - ACCESS_REFUSED and NOT_ALLOWED -> 403 access_refused: a refused permission or tag,
 *   with RabbitMQ's reason ("Not administrator user", "access to queue 'q' in vhost '/'
 *   refused for user 'u'"). RabbitMQ answers 401, which makes browsers and clients ask
 *   for credentials again although they were right; 401 here means no or bad credentials.
 * - 429 too_many_requests while a peer is throttled after failed logins.
 * - INTERNAL_ERROR -> 500; every other domain error (PRECONDITION_FAILED for an
 *   inequivalent redeclare or a bad argument, RESOURCE_LOCKED, COMMAND_INVALID...)
 *   -> 400 bad_request, as RabbitMQ does.
 * - The reason is the domain's explanation without the AMQP constant, like RabbitMQ's.
 */
import { HttpException, HttpStatus } from '@nestjs/common';
import { BrokerError, ErrorName } from '../../broker/errors';

export interface ApiErrorBody {
  error: string;
  reason: string;
}

export interface ApiError {
  status: number;
  body: ApiErrorBody;
}

const BROKER_ERRORS: Partial<Record<ErrorName, [number, string]>> = {
  NOT_FOUND: [HttpStatus.NOT_FOUND, 'not_found'],
  ACCESS_REFUSED: [HttpStatus.FORBIDDEN, 'access_refused'],
  NOT_ALLOWED: [HttpStatus.FORBIDDEN, 'access_refused'],
  INTERNAL_ERROR: [HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error'],
};

const HTTP_ERRORS: Record<number, string> = {
  400: 'bad_request',
  401: 'not_authorised',
  403: 'access_refused',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/** A refusal with RabbitMQ's own error name where it has one (e.g. page_out_of_range). */
export class ApiRefusal extends HttpException {
  constructor(status: number, readonly error: string, readonly reason: string) {
    super(reason, status);
  }
}

export function toApiError(exception: unknown): ApiError {
  if (exception instanceof BrokerError) return fromBrokerError(exception);
  if (exception instanceof ApiRefusal) return { status: exception.getStatus(), body: { error: exception.error, reason: exception.reason } };
  if (exception instanceof HttpException) return answer(exception.getStatus(), reasonOf(exception));
  const bodyParserStatus = clientErrorStatus(exception);
  if (bodyParserStatus) return answer(bodyParserStatus, (exception as Error).message);
  return answer(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error');
}

function fromBrokerError(error: BrokerError): ApiError {
  const [status, name] = BROKER_ERRORS[error.name] ?? [HttpStatus.BAD_REQUEST, 'bad_request'];
  return { status, body: { error: name, reason: error.detail } };
}

function answer(status: number, reason: string): ApiError {
  const error = HTTP_ERRORS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
  return { status, body: { error, reason } };
}

/** Validation errors carry a list of messages; Nest's own exceptions carry one. */
function reasonOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Errors from Express's own middleware (body-parser: malformed JSON, a body too
 * large, a bad charset) are plain Errors marked with a 4xx status and `expose`.
 */
function clientErrorStatus(exception: unknown): number | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { status, expose } = exception as Error & { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true ? status : undefined;
}
