/**
 * UserStore kept in memory, for tests; the same contract as the PostgreSQL
 * store (test/contract/user-store.contract.ts), including the cascades.
 */
import type { AccessSnapshot, PermissionRecord, TopicPermissionRecord, UserRecord, UserStore } from '../../broker/ports/user-store';

const key = (...parts: string[]) => parts.join('\u0000');

export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, UserRecord>();
  private readonly permissions = new Map<string, PermissionRecord>();
  private readonly topicPermissions = new Map<string, TopicPermissionRecord>();

  async load(): Promise<AccessSnapshot> {
    return {
      users: [...this.users.values()].map((u) => ({ ...u, tags: [...u.tags] })),
      permissions: [...this.permissions.values()].map((p) => ({ ...p })),
      topicPermissions: [...this.topicPermissions.values()].map((p) => ({ ...p })),
    };
  }

  async saveUser(user: UserRecord): Promise<void> {
    this.users.set(user.name, { ...user, tags: [...user.tags] });
  }

  async deleteUser(name: string): Promise<void> {
    this.users.delete(name);
    for (const [k, p] of this.permissions) if (p.user === name) this.permissions.delete(k);
    for (const [k, p] of this.topicPermissions) if (p.user === name) this.topicPermissions.delete(k);
  }

  async savePermission(permission: PermissionRecord): Promise<void> {
    this.assertUser(permission.user);
    this.permissions.set(key(permission.user, permission.vhost), { ...permission });
  }

  async deletePermission(user: string, vhost: string): Promise<void> {
    this.permissions.delete(key(user, vhost));
  }

  async saveTopicPermission(permission: TopicPermissionRecord): Promise<void> {
    this.assertUser(permission.user);
    this.topicPermissions.set(key(permission.user, permission.vhost, permission.exchange), { ...permission });
  }

  async deleteTopicPermissions(user: string, vhost: string, exchange?: string): Promise<void> {
    for (const [k, p] of this.topicPermissions) {
      if (p.user === user && p.vhost === vhost && (exchange === undefined || p.exchange === exchange)) this.topicPermissions.delete(k);
    }
  }

  async forgetVhost(vhost: string): Promise<void> {
    for (const [k, p] of this.permissions) if (p.vhost === vhost) this.permissions.delete(k);
    for (const [k, p] of this.topicPermissions) if (p.vhost === vhost) this.topicPermissions.delete(k);
  }

  /** As the PostgreSQL store's foreign key does. */
  private assertUser(name: string): void {
    if (!this.users.has(name)) throw new Error(`no user '${name}' to grant permissions to`);
  }
}
