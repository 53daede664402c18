/** TypeORM entities for users, permissions and vhost limits; the schema is owned by migrations/. */
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'text' }) name: string;
  @Column({ type: 'text', name: 'password_hash' }) passwordHash: string;
  @Column({ type: 'varchar', length: 64, name: 'hashing_algorithm' }) hashingAlgorithm: string;
  @Column({ type: 'jsonb' }) tags: string[];
}

@Entity({ name: 'user_permissions' })
export class PermissionEntity {
  @PrimaryColumn({ type: 'text', name: 'username' }) user: string;
  @PrimaryColumn({ type: 'varchar', length: 255 }) vhost: string;
  @Column({ type: 'text' }) configure: string;
  @Column({ type: 'text' }) write: string;
  @Column({ type: 'text' }) read: string;
}

@Entity({ name: 'topic_permissions' })
export class TopicPermissionEntity {
  @PrimaryColumn({ type: 'text', name: 'username' }) user: string;
  @PrimaryColumn({ type: 'varchar', length: 255 }) vhost: string;
  @PrimaryColumn({ type: 'varchar', length: 255 }) exchange: string;
  @Column({ type: 'text' }) write: string;
  @Column({ type: 'text' }) read: string;
}

@Entity({ name: 'vhost_limits' })
export class VhostLimitEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 }) vhost: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) name: string;
  /** bigint: TypeORM hands it over as a string. */
  @Column({ type: 'bigint' }) value: string;
}
