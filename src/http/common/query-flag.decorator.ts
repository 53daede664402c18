/**
 * A true/false query parameter such as `?if-unused=true`. Absent means false;
 * anything but `true` or `false` is a 400, not a silent false. A custom
 * decorator because the global ValidationPipe would coerce `"yes"` to false.
 */
import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export function parseQueryFlag(name: string, value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new BadRequestException(`query parameter '${name}' accepts true or false, got ${JSON.stringify(value)}`);
}

export const QueryFlag = createParamDecorator((name: string, context: ExecutionContext): boolean =>
  parseQueryFlag(name, context.switchToHttp().getRequest<Request>().query[name]),
);
