/** /api/queues: list, read, declare, delete and purge queues, and list a queue's bindings. */
import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { Statistics } from '../../broker/stats/statistics';
import { AccessPolicy } from '../../broker/auth/access-policy';
import type { User } from '../../broker/auth/users';
import { TopologyService } from '../../broker/topology/topology-service';
import { CurrentUser } from '../auth/current-user.decorator';
import { visibleVhosts } from '../auth/visible-vhosts';
import { QueryFlag } from '../common/query-flag.decorator';
import { StorableNamePipe } from '../common/storable-text';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerItem, answerList, answerListing, Page } from '../lists/list-response';
import type { Queue } from '../../broker/queue/queue';
import { BINDING_SORT, BindingView, presentBindings } from '../presenters/binding.presenter';
import { presentQueue, presentQueueDetail, queueBasics, QueuePresentation, QueueView } from '../presenters/queue.presenter';
import { QueueDeclarationDto, toQueueDeclaration } from './dto/queue.dto';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };

@ApiTags('queues')
@ApiBasicAuth()
@Controller('api/queues')
export class QueuesController {
  private readonly presentation: QueuePresentation;

  constructor(private readonly topology: TopologyService, private readonly access: AccessPolicy, statistics: Statistics, clients: ClientRegistry) {
    this.presentation = { statistics, clients };
  }

  @Get()
  @ApiOperation({ summary: 'Every queue in every vhost the user may see; with page, RabbitMQ\'s paged envelope' })
  list(@CurrentUser() user: User, @ListParams() query: ListQuery): QueueView[] | Page<QueueView> {
    return this.listOf(visibleVhosts(this.access, this.topology, user).flatMap((vhost) => [...vhost.queues.values()]), query);
  }

  @Get(':vhost')
  @ApiParam(VHOST)
  listIn(@Param('vhost') vhost: string, @ListParams() query: ListQuery): QueueView[] | Page<QueueView> {
    return this.listOf([...this.topology.vhost(vhost).queues.values()], query);
  }

  @Get(':vhost/:name')
  @ApiParam(VHOST)
  get(@Param('vhost') vhost: string, @Param('name') name: string, @ListParams() query: ListQuery): QueueView {
    return answerItem(presentQueueDetail(this.topology.queue(vhost, name), this.presentation), query);
  }

  @Put(':vhost/:name')
  @ApiParam(VHOST)
  @ApiResponse({ status: 201, description: 'declared' })
  @ApiResponse({ status: 204, description: 'already existed with the same settings' })
  @ApiResponse({ status: 400, description: 'bad argument, name too long, or inequivalent to the existing one' })
  async declare(
    @Param('vhost') vhost: string,
    @Param('name', StorableNamePipe) name: string,
    @Body() body: QueueDeclarationDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const existed = this.topology.vhost(vhost).queues.has(name);
    const declaration = toQueueDeclaration(body);
    const resources = this.access.httpResources(user, vhost);
    await this.topology.declareQueue(vhost, name, declaration, {
      authorize: (queue, isNew) => resources.declareQueue(queue, declaration.arguments, isNew),
    });
    response.status(existed ? 204 : 201);
  }

  @Delete(':vhost/:name')
  @HttpCode(204)
  @ApiParam(VHOST)
  @ApiQuery({ name: 'if-empty', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'if-unused', required: false, enum: ['true', 'false'] })
  async delete(
    @Param('vhost') vhost: string,
    @Param('name') name: string,
    @QueryFlag('if-empty') ifEmpty: boolean,
    @QueryFlag('if-unused') ifUnused: boolean,
    @CurrentUser() user: User,
  ): Promise<void> {
    this.access.httpResources(user, vhost).deleteQueue(name);
    await this.topology.deleteQueue(vhost, name, { ifEmpty, ifUnused });
  }

  @Delete(':vhost/:name/contents')
  @HttpCode(204)
  @ApiOperation({ summary: 'Purge: remove every ready message' })
  @ApiParam(VHOST)
  async purge(@Param('vhost') vhost: string, @Param('name') name: string, @CurrentUser() user: User): Promise<void> {
    this.access.httpResources(user, vhost).readQueue(name);
    await this.topology.purgeQueue(vhost, name);
  }

  @Get(':vhost/:name/bindings')
  @ApiOperation({ summary: "The queue's bindings, including its implicit one from the default exchange" })
  @ApiParam(VHOST)
  bindings(@Param('vhost') vhost: string, @Param('name') name: string, @ListParams() query: ListQuery): BindingView[] | Page<BindingView> {
    this.topology.queue(vhost, name);
    return answerList(presentBindings(this.topology.vhost(vhost), { destination: name, destinationKind: 'queue' }), query, BINDING_SORT);
  }

  private listOf(queues: Queue[], query: ListQuery): QueueView[] | Page<QueueView> {
    return answerListing({ items: queues, present: (queue) => presentQueue(queue, this.presentation), basic: queueBasics }, query);
  }
}
