import { SetMetadata } from '@nestjs/common';

export const ADMIN_ONLY = 'warren:admin-only';

/**
 * Only administrators (users, permissions, vhost changes, definitions), as
 * RabbitMQ's is_authorized_admin. Other routes need a management tag, and those
 * with a :vhost parameter access to that vhost (see ApiAccessGuard).
 */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);
