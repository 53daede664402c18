/** /api/vhosts: read-only until the domain can create virtual hosts. */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { Statistics } from '../../broker/stats/statistics';
import { TopologyService } from '../../broker/topology/topology-service';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerItem, answerList, Page } from '../lists/list-response';
import { presentVhost, StatsSources } from '../presenters/overview.presenter';

type VhostView = ReturnType<typeof presentVhost>;

@ApiTags('vhosts')
@ApiBasicAuth()
@Controller('api/vhosts')
export class VhostsController {
  private readonly sources: StatsSources;

  constructor(private readonly topology: TopologyService, clients: ClientRegistry, statistics: Statistics) {
    this.sources = { clients, statistics };
  }

  @Get()
  list(@ListParams() query: ListQuery): VhostView[] | Page<VhostView> {
    return answerList(this.topology.vhosts().map((vhost) => presentVhost(vhost, this.sources)), query, ['name']);
  }

  @Get(':vhost')
  @ApiParam({ name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' })
  get(@Param('vhost') vhost: string, @ListParams() query: ListQuery): VhostView {
    return answerItem(presentVhost(this.topology.vhost(vhost), this.sources), query);
  }
}
