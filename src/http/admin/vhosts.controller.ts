/** /api/vhosts: read-only until the domain can create virtual hosts. */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { TopologyService } from '../../broker/topology/topology-service';
import { presentVhost } from '../presenters/overview.presenter';

@ApiTags('vhosts')
@ApiBasicAuth()
@Controller('api/vhosts')
export class VhostsController {
  constructor(private readonly topology: TopologyService) {}

  @Get()
  list(): ReturnType<typeof presentVhost>[] {
    return this.topology.vhosts().map(presentVhost);
  }

  @Get(':vhost')
  @ApiParam({ name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' })
  get(@Param('vhost') vhost: string): ReturnType<typeof presentVhost> {
    return presentVhost(this.topology.vhost(vhost));
  }
}
