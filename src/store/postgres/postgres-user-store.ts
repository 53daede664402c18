/** UserStore on PostgreSQL through TypeORM: low-rate writes, one read at start. Deletes cascade by foreign key. */
import { DataSource } from 'typeorm';
import { isHashingAlgorithm } from '../../broker/auth/password-hash';
import type { AccessSnapshot, PermissionRecord, TopicPermissionRecord, UserRecord, UserStore } from '../../broker/ports/user-store';
import { PermissionEntity, TopicPermissionEntity, UserEntity } from './entities';

export class PostgresUserStore implements UserStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<AccessSnapshot> {
    const [users, permissions, topicPermissions] = await Promise.all([
      this.dataSource.getRepository(UserEntity).find({ order: { name: 'ASC' } }),
      this.dataSource.getRepository(PermissionEntity).find(),
      this.dataSource.getRepository(TopicPermissionEntity).find(),
    ]);
    return {
      users: users.map((u) => ({
        name: u.name, passwordHash: u.passwordHash, tags: u.tags,
        hashingAlgorithm: isHashingAlgorithm(u.hashingAlgorithm) ? u.hashingAlgorithm : 'rabbit_password_hashing_sha256',
      })),
      permissions: permissions.map((p) => ({ user: p.user, vhost: p.vhost, configure: p.configure, write: p.write, read: p.read })),
      topicPermissions: topicPermissions.map((p) => ({ user: p.user, vhost: p.vhost, exchange: p.exchange, write: p.write, read: p.read })),
    };
  }

  async saveUser(user: UserRecord): Promise<void> {
    await this.dataSource.getRepository(UserEntity).upsert({ ...user, tags: [...user.tags] }, ['name']);
  }

  async deleteUser(name: string): Promise<void> {
    await this.dataSource.getRepository(UserEntity).delete({ name });
  }

  async savePermission(permission: PermissionRecord): Promise<void> {
    await this.dataSource.getRepository(PermissionEntity).upsert({ ...permission }, ['user', 'vhost']);
  }

  async deletePermission(user: string, vhost: string): Promise<void> {
    await this.dataSource.getRepository(PermissionEntity).delete({ user, vhost });
  }

  async saveTopicPermission(permission: TopicPermissionRecord): Promise<void> {
    await this.dataSource.getRepository(TopicPermissionEntity).upsert({ ...permission }, ['user', 'vhost', 'exchange']);
  }

  async deleteTopicPermissions(user: string, vhost: string, exchange?: string): Promise<void> {
    await this.dataSource.getRepository(TopicPermissionEntity).delete(exchange === undefined ? { user, vhost } : { user, vhost, exchange });
  }

  async forgetVhost(vhost: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(PermissionEntity, { vhost });
      await manager.delete(TopicPermissionEntity, { vhost });
    });
  }
}
