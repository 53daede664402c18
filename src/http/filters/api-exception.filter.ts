/**
 * Writes every error of the HTTP API as `{error, reason}` (see api-error.ts for
 * the mapping). A 401 carries the Basic challenge so that curl and browsers retry
 * with credentials; a 500 is logged, because it is always Warren's fault.
 */
import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { LOGIN_FAILURE_WINDOW_MS } from '../../broker/auth/login-throttle';
import { toApiError } from './api-error';

export const BASIC_CHALLENGE = 'Basic realm="Warren"';

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = toApiError(exception);
    if (status >= 500) this.logger.error(`request failed: ${(exception as Error)?.stack ?? String(exception)}`);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (status === 401) response.setHeader('WWW-Authenticate', BASIC_CHALLENGE);
    if (status === 429) response.setHeader('Retry-After', String(LOGIN_FAILURE_WINDOW_MS / 1000));
    response.status(status).json(body);
  }
}
