/** /api/overview and /api/whoami. */
import { Controller, Get } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessPolicy } from '../../broker/auth/access-policy';
import type { User } from '../../broker/auth/users';
import { TopologyService } from '../../broker/topology/topology-service';
import { CurrentUser } from '../auth/current-user.decorator';
import { visibleVhosts } from '../auth/visible-vhosts';
import { presentOverview } from '../presenters/overview.presenter';

@ApiTags('overview')
@ApiBasicAuth()
@Controller('api')
export class OverviewController {
  constructor(private readonly topology: TopologyService, private readonly access: AccessPolicy) {}

  @Get('overview')
  @ApiOperation({ summary: 'Product, versions and totals of objects and messages, over the vhosts the user may see' })
  overview(@CurrentUser() user: User): ReturnType<typeof presentOverview> {
    return presentOverview(visibleVhosts(this.access, this.topology, user));
  }

  @Get('whoami')
  @ApiOperation({ summary: 'The authenticated user' })
  whoami(@CurrentUser() user: User): User {
    return { name: user.name, tags: user.tags };
  }
}
