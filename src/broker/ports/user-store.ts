/**
 * Where users, their permissions and their topic permissions live between
 * restarts: the internal authentication backend's data. The user and permission
 * services write through it before a change takes effect, and read it once at start.
 * Implementations: store/postgres (TypeORM) and store/memory (tests).
 */
import type { HashingAlgorithm } from '../auth/password-hash';

export interface UserRecord {
  name: string;
  /** base64 of salt and digest, as RabbitMQ writes it; '' for a user without a password. */
  passwordHash: string;
  hashingAlgorithm: HashingAlgorithm;
  tags: string[];
}

/** configure, write and read are regular expressions over resource names. */
export interface PermissionRecord {
  user: string;
  vhost: string;
  configure: string;
  write: string;
  read: string;
}

/** write and read are regular expressions over routing keys published to, or bound on, `exchange`. */
export interface TopicPermissionRecord {
  user: string;
  vhost: string;
  exchange: string;
  write: string;
  read: string;
}

export interface AccessSnapshot {
  users: UserRecord[];
  permissions: PermissionRecord[];
  topicPermissions: TopicPermissionRecord[];
}

export interface UserStore {
  load(): Promise<AccessSnapshot>;
  saveUser(user: UserRecord): Promise<void>;
  /** Also removes the user's permissions and topic permissions. */
  deleteUser(name: string): Promise<void>;
  savePermission(permission: PermissionRecord): Promise<void>;
  deletePermission(user: string, vhost: string): Promise<void>;
  saveTopicPermission(permission: TopicPermissionRecord): Promise<void>;
  /** Every exchange's topic permissions of the user in the vhost, or only `exchange`'s. */
  deleteTopicPermissions(user: string, vhost: string, exchange?: string): Promise<void>;
  /** A vhost is gone: every permission and topic permission in it goes too. */
  forgetVhost(vhost: string): Promise<void>;
}

export const USER_STORE = 'UserStore';
