/** /api/channels: the open channels of every connection, with their prefetch, unacked and message_stats. */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { Statistics } from '../../broker/stats/statistics';
import { TopologyService } from '../../broker/topology/topology-service';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerItem, answerList, Page } from '../lists/list-response';
import { ChannelView, presentChannel } from '../presenters/client.presenter';

@ApiTags('channels')
@ApiBasicAuth()
@Controller('api')
export class ChannelsController {
  constructor(private readonly clients: ClientRegistry, private readonly statistics: Statistics, private readonly topology: TopologyService) {}

  @Get('channels')
  @ApiOperation({ summary: 'Every open channel' })
  list(@ListParams() query: ListQuery): ChannelView[] | Page<ChannelView> {
    return answerList(this.clients.channels().map((channel) => presentChannel(channel, this.statistics)), query);
  }

  @Get('vhosts/:vhost/channels')
  @ApiParam({ name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' })
  listIn(@Param('vhost') vhost: string, @ListParams() query: ListQuery): ChannelView[] | Page<ChannelView> {
    this.topology.vhost(vhost);
    return answerList(this.clients.channels(vhost).map((channel) => presentChannel(channel, this.statistics)), query);
  }

  @Get('channels/:name')
  @ApiParam({ name: 'name', description: 'URL-encoded channel name: "<connection name> (<number>)"' })
  get(@Param('name') name: string, @ListParams() query: ListQuery): ChannelView {
    return answerItem(presentChannel(this.clients.channel(name), this.statistics), query);
  }
}
