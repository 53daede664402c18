/**
 * Who may call a route, on every route unless marked @Public(). Registered
 * globally, so a new controller is protected by default:
 * 1. HTTP Basic credentials, checked by the same login as AMQP (throttled per
 *    peer address, loopback-only users): 401 when missing or refused, 429 while
 *    the peer is throttled; each refused login is logged once, without the password;
 * 2. a management tag (management, policymaker, monitoring, administrator): 403;
 * 3. @AdminOnly() routes: administrators only; otherwise a route with a :vhost
 *    parameter needs access to that vhost, to read (GET) or to change (the rest),
 *    as AccessPolicy decides. Checks on the named resources come in the controllers.
 * The authenticated user is left on the request for @CurrentUser().
 */
import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AccessPolicy } from '../../broker/auth/access-policy';
import { LoginService, normalisePeerAddress } from '../../broker/auth/login';
import type { User } from '../../broker/auth/users';
import { IS_PUBLIC } from './public.decorator';
import { ADMIN_ONLY } from './access.decorators';

export type AuthenticatedRequest = Request & { user?: User };

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

@Injectable()
export class BasicAuthGuard implements CanActivate {
  private readonly logger = new Logger('HttpApi');

  constructor(private readonly login: LoginService, private readonly access: AccessPolicy, private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const user = this.authenticate(request);
    request.user = user;
    this.access.assertManagementUser(user);
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets)) {
      this.access.assertAdministrator(user);
      return true;
    }
    const vhost = request.params?.vhost;
    if (typeof vhost === 'string') {
      if (READS.has(request.method)) this.access.assertCanSee(user, vhost);
      else this.access.assertCanChange(user, vhost);
    }
    return true;
  }

  private authenticate(request: Request): User {
    const credentials = parseBasicCredentials(request.headers.authorization);
    if (!credentials) throw new UnauthorizedException('Basic authentication with a user name and password is required');
    const peer = normalisePeerAddress(request.socket.remoteAddress);
    const result = this.login.attempt({ username: credentials.name, password: credentials.password, peerAddress: peer });
    if ('user' in result) return result.user;
    this.logger.warn(`login refused: user '${credentials.name}' from ${peer}:${request.socket.remotePort} (HTTP Basic): ${result.refused}`);
    if (result.cause === 'throttled') throw new HttpException('Too many failed logins from this address; try again later', HttpStatus.TOO_MANY_REQUESTS);
    // RabbitMQ's answers: the loopback rule is named, a wrong password is not.
    throw new UnauthorizedException(result.cause === 'loopback' ? 'User can only log in via localhost' : 'Login failed');
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
