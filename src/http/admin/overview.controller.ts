/** /api/overview and /api/whoami. */
import { Controller, Get } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessPolicy } from '../../broker/auth/access-policy';
import type { User } from '../../broker/auth/users';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { Statistics } from '../../broker/stats/statistics';
import { TopologyService } from '../../broker/topology/topology-service';
import { NodeListeners } from '../../node/node-listeners';
import { CurrentUser } from '../auth/current-user.decorator';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerItem } from '../lists/list-response';
import { visibleVhosts } from '../auth/visible-vhosts';
import { presentOverview } from '../presenters/overview.presenter';

@ApiTags('overview')
@ApiBasicAuth()
@Controller('api')
export class OverviewController {
  constructor(
    private readonly topology: TopologyService,
    private readonly access: AccessPolicy,
    private readonly clients: ClientRegistry,
    private readonly statistics: Statistics,
    private readonly listeners: NodeListeners,
  ) {}

  @Get('overview')
  @ApiOperation({ summary: 'Product, versions, listeners, totals of objects and messages, and message rates, over the vhosts the user may see' })
  overview(@CurrentUser() user: User, @ListParams() query: ListQuery): ReturnType<typeof presentOverview> {
    const vhosts = visibleVhosts(this.access, this.topology, user);
    return answerItem(presentOverview(vhosts, this.listeners.list(), { clients: this.clients, statistics: this.statistics }), query);
  }

  @Get('whoami')
  @ApiOperation({ summary: 'The authenticated user' })
  whoami(@CurrentUser() user: User): User {
    return { name: user.name, tags: user.tags };
  }
}
