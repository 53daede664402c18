import { PermissionEntity, TopicPermissionEntity, UserEntity, VhostLimitEntity } from './access.entities';
import { BindingEntity, ExchangeEntity, QueueEntity } from './topology.entities';
import { VhostEntity } from './vhost.entity';

export const ENTITIES = [VhostEntity, ExchangeEntity, QueueEntity, BindingEntity, UserEntity, PermissionEntity, TopicPermissionEntity, VhostLimitEntity];
export { BindingEntity, ExchangeEntity, PermissionEntity, QueueEntity, TopicPermissionEntity, UserEntity, VhostEntity, VhostLimitEntity };
