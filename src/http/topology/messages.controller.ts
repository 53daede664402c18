/** Publishing to an exchange and fetching from a queue over HTTP, for testing and inspection. */
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Publisher } from '../../broker/publishing/publisher';
import { TopologyService } from '../../broker/topology/topology-service';
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
  constructor(private readonly publisher: Publisher, private readonly topology: TopologyService) {}

  @Post('exchanges/:vhost/:name/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish one message; routed says whether any queue took it' })
  @ApiParam(VHOST)
  @ApiParam({ name: 'name', description: 'amq.default publishes to the default exchange (routing key = queue name)' })
  publish(@Param('vhost') vhost: string, @Param('name', ExchangeNamePipe) exchange: string, @Body() body: PublishDto): { routed: boolean } {
    return { routed: this.publisher.publish(vhost, restMessage(exchange, body)).routed };
  }

  @Post('queues/:vhost/:name/get')
  @HttpCode(200)
  @ApiOperation({ summary: 'Fetch up to count messages, then ack, reject or requeue them according to ackmode' })
  @ApiParam(VHOST)
  get(@Param('vhost') vhost: string, @Param('name') name: string, @Body() body: GetMessagesDto): Promise<FetchedMessageView[]> {
    return fetchMessages(this.topology.queue(vhost, name), body);
  }
}
