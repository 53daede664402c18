/**
 * /api/connections: the open AMQP connections, each one's channels, and
 * closing one (DELETE, with the reason in an X-Reason header, as RabbitMQ does).
 */
import { Controller, Delete, Get, Headers, HttpCode, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { Statistics } from '../../broker/stats/statistics';
import { TopologyService } from '../../broker/topology/topology-service';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerItem, answerList, Page } from '../lists/list-response';
import { ChannelView, ConnectionView, presentChannel, presentConnection } from '../presenters/client.presenter';

const NAME = { name: 'name', description: 'URL-encoded connection name, e.g. 127.0.0.1%3A5555%20-%3E%20127.0.0.1%3A5672' };
const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };

/** RabbitMQ's reason when the operator gives none. */
export const DEFAULT_CLOSE_REASON = 'Closed via management plugin';

@ApiTags('connections')
@ApiBasicAuth()
@Controller('api')
export class ConnectionsController {
  constructor(private readonly clients: ClientRegistry, private readonly statistics: Statistics, private readonly topology: TopologyService) {}

  @Get('connections')
  @ApiOperation({ summary: 'Every open connection' })
  list(@ListParams() query: ListQuery): ConnectionView[] | Page<ConnectionView> {
    return answerList(this.clients.connections().map((c) => presentConnection(c, this.statistics)), query);
  }

  @Get('vhosts/:vhost/connections')
  @ApiParam(VHOST)
  listIn(@Param('vhost') vhost: string, @ListParams() query: ListQuery): ConnectionView[] | Page<ConnectionView> {
    this.topology.vhost(vhost);
    return answerList(this.clients.connections(vhost).map((c) => presentConnection(c, this.statistics)), query);
  }

  @Get('connections/:name')
  @ApiParam(NAME)
  get(@Param('name') name: string, @ListParams() query: ListQuery): ConnectionView {
    return answerItem(presentConnection(this.clients.connection(name), this.statistics), query);
  }

  @Delete('connections/:name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Close the connection: the client gets connection.close 320 CONNECTION_FORCED with the reason' })
  @ApiParam(NAME)
  @ApiHeader({ name: 'X-Reason', required: false, description: `why; "${DEFAULT_CLOSE_REASON}" when absent` })
  close(@Param('name') name: string, @Headers('x-reason') reason: string | undefined): void {
    this.clients.connection(name).close(reason ? reason : DEFAULT_CLOSE_REASON);
  }

  @Get('connections/:name/channels')
  @ApiParam(NAME)
  channels(@Param('name') name: string, @ListParams() query: ListQuery): ChannelView[] | Page<ChannelView> {
    const channels = [...this.clients.connection(name).channels()];
    return answerList(channels.map((channel) => presentChannel(channel, this.statistics)), query);
  }
}
