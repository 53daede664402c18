/** /api/consumers: every consumer of every channel, or of one vhost's queues. */
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { TopologyService } from '../../broker/topology/topology-service';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerList, Page } from '../lists/list-response';
import { ConsumerView, presentConsumer } from '../presenters/consumer.presenter';

/** Consumers have no name or vhost of their own: sorted by their queue, then tag. */
const CONSUMER_SORT = ['queue.vhost', 'queue.name', 'consumer_tag'];

@ApiTags('consumers')
@ApiBasicAuth()
@Controller('api/consumers')
export class ConsumersController {
  constructor(private readonly clients: ClientRegistry, private readonly topology: TopologyService) {}

  @Get()
  @ApiOperation({ summary: 'Every consumer' })
  list(@ListParams() query: ListQuery): ConsumerView[] | Page<ConsumerView> {
    return answerList(this.clients.consumers().map(presentConsumer), query, CONSUMER_SORT);
  }

  @Get(':vhost')
  @ApiParam({ name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' })
  listIn(@Param('vhost') vhost: string, @ListParams() query: ListQuery): ConsumerView[] | Page<ConsumerView> {
    this.topology.vhost(vhost);
    return answerList(this.clients.consumers(vhost).map(presentConsumer), query, CONSUMER_SORT);
  }
}
