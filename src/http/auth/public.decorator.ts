import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'warren:public';

/** Marks a controller or route that answers without credentials (health, for load balancers). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
