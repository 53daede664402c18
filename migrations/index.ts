/**
 * Every migration, in order. Listed explicitly rather than globbed so that the
 * app, the CLI and the tests load exactly the same set from .ts or compiled .js.
 * After `npm run migration:generate -- migrations/<Name>`, add the new class here.
 */
import { CreateVhosts1763769600000 } from './1763769600000-CreateVhosts';
import { CreateTopology1763773200000 } from './1763773200000-CreateTopology';
import { CreateMessageLog1763776800000 } from './1763776800000-CreateMessageLog';
import { ByteExactNamesAndExplicitPurges1796018388193 } from './1796018388193-ByteExactNamesAndExplicitPurges';
import { CreateUsersAndPermissions1796018688411 } from './1796018688411-CreateUsersAndPermissions';

export const MIGRATIONS = [
  CreateVhosts1763769600000, CreateTopology1763773200000, CreateMessageLog1763776800000, ByteExactNamesAndExplicitPurges1796018388193,
  CreateUsersAndPermissions1796018688411,
];
