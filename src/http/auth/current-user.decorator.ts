import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { User } from '../../broker/auth/users';
import type { AuthenticatedRequest } from './basic-auth.guard';

/** The user BasicAuthGuard authenticated for this request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User | undefined => context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);
