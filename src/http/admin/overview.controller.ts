/** /api/overview and /api/whoami. */
import { Controller, Get } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { User } from '../../broker/auth/users';
import { TopologyService } from '../../broker/topology/topology-service';
import { CurrentUser } from '../auth/current-user.decorator';
import { presentOverview } from '../presenters/overview.presenter';

@ApiTags('overview')
@ApiBasicAuth()
@Controller('api')
export class OverviewController {
  constructor(private readonly topology: TopologyService) {}

  @Get('overview')
  @ApiOperation({ summary: 'Product, versions and totals of objects and messages' })
  overview(): ReturnType<typeof presentOverview> {
    return presentOverview(this.topology.vhosts());
  }

  @Get('whoami')
  @ApiOperation({ summary: 'The authenticated user' })
  whoami(@CurrentUser() user: User): User {
    return { name: user.name, tags: user.tags };
  }
}
