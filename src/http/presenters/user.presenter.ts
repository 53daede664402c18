/** Users as RabbitMQ's management API shows them (rabbit_mgmt_format:internal_user); administrators only. */
import type { UserRecord } from '../../broker/ports/user-store';

export interface UserView {
  name: string;
  password_hash: string;
  hashing_algorithm: string;
  tags: string[];
  limits: Record<string, never>;
}

export function presentUser(user: UserRecord): UserView {
  return { name: user.name, password_hash: user.passwordHash, hashing_algorithm: user.hashingAlgorithm, tags: [...user.tags], limits: {} };
}
