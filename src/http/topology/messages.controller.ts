/** Publishing to an exchange and fetching from a queue over HTTP, for testing and inspection. */
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { checkPublishedProperties } from '../../amqp/protocol/publish-checks';
import { AccessPolicy } from '../../broker/auth/access-policy';
import type { User } from '../../broker/auth/users';
import { Publisher } from '../../broker/publishing/publisher';
import { TopologyService } from '../../broker/topology/topology-service';
import { CurrentUser } from '../auth/current-user.decorator';
import { ExchangeNamePipe } from '../common/exchange-name.pipe';
import { FetchedMessageView } from '../presenters/message.presenter';
import { GetMessagesDto } from './dto/get-messages.dto';
import { PublishDto } from './dto/publish.dto';
import { fetchMessages } from './fetch-messages';
import { restMessage } from './rest-message';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };

@ApiTags('messages')
@ApiBasicAuth()
@Controller('api')
export class MessagesController {
  constructor(private readonly publisher: Publisher, private readonly topology: TopologyService, private readonly access: AccessPolicy) {}

  @Post('exchanges/:vhost/:name/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish one message; routed says whether any queue took it' })
  @ApiParam(VHOST)
  @ApiParam({ name: 'name', description: 'amq.default publishes to the default exchange (routing key = queue name)' })
  publish(
    @Param('vhost') vhost: string,
    @Param('name', ExchangeNamePipe) exchange: string,
    @Body() body: PublishDto,
    @CurrentUser() user: User,
  ): { routed: boolean } {
    this.access.httpResources(user, vhost).publish(exchange, body.routing_key);
    const message = restMessage(exchange, body);
    // As over AMQP: user_id, when set, must name who publishes.
    checkPublishedProperties(message.properties, user.name);
    return { routed: this.publisher.publish(vhost, message).routed };
  }

  @Post('queues/:vhost/:name/get')
  @HttpCode(200)
  @ApiOperation({ summary: 'Fetch up to count messages, then ack, reject or requeue them according to ackmode' })
  @ApiParam(VHOST)
  get(@Param('vhost') vhost: string, @Param('name') name: string, @Body() body: GetMessagesDto, @CurrentUser() user: User): Promise<FetchedMessageView[]> {
    this.access.httpResources(user, vhost).readQueue(name);
    return fetchMessages(this.topology.queue(vhost, name), body);
  }
}
