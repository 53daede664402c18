import { BindingEntity, ExchangeEntity, QueueEntity } from './topology.entities';
import { VhostEntity } from './vhost.entity';

export const ENTITIES = [VhostEntity, ExchangeEntity, QueueEntity, BindingEntity];
export { BindingEntity, ExchangeEntity, QueueEntity, VhostEntity };
