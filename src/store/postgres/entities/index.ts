import { VhostEntity } from './vhost.entity';

export const ENTITIES = [VhostEntity];
export { VhostEntity };
