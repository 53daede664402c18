/**
 * HTTP Basic auth against the broker's users, on every route unless marked
 * @Public(). Registered globally so that a new controller is protected by default.
 * The authenticated user is left on the request for @CurrentUser().
 */
import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { User, UserDirectory } from '../../broker/auth/users';
import { IS_PUBLIC } from './public.decorator';

export type AuthenticatedRequest = Request & { user?: User };

@Injectable()
export class BasicAuthGuard implements CanActivate {
  constructor(private readonly users: UserDirectory, private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const credentials = parseBasicCredentials(request.headers.authorization);
    if (!credentials) throw new UnauthorizedException('Basic authentication with a user name and password is required');
    const user = this.users.authenticate(credentials.name, credentials.password);
    if (!user) throw new UnauthorizedException('Login failed');
    request.user = user;
    return true;
  }
}

/** `Basic base64(name:password)`; the password may itself contain colons. */
export function parseBasicCredentials(header: string | undefined): { name: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
