/** /api/vhosts: list (paged like every list) and read (what the user may see); create, change and delete (administrators). */
import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Put, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccessPolicy } from '../../broker/auth/access-policy';
import { PermissionService } from '../../broker/auth/permissions';
import { parseTags, User } from '../../broker/auth/users';
import type { PermissionRecord, TopicPermissionRecord } from '../../broker/ports/user-store';
import { TopologyService } from '../../broker/topology/topology-service';
import { VhostService } from '../../broker/vhosts/vhost-service';
import { AdminOnly } from '../auth/access.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { visibleVhosts } from '../auth/visible-vhosts';
import { StorableNamePipe } from '../common/storable-text';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { Statistics } from '../../broker/stats/statistics';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerItem, answerList, Page } from '../lists/list-response';
import { presentVhost, StatsSources } from '../presenters/overview.presenter';
import { VhostDto } from './dto/vhost.dto';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };

type VhostView = ReturnType<typeof presentVhost>;

@ApiTags('vhosts')
@ApiBasicAuth()
@Controller('api/vhosts')
export class VhostsController {
  private readonly sources: StatsSources;

  constructor(
    private readonly topology: TopologyService,
    private readonly vhosts: VhostService,
    private readonly access: AccessPolicy,
    private readonly permissions: PermissionService,
    clients: ClientRegistry,
    statistics: Statistics,
  ) {
    this.sources = { clients, statistics };
  }

  @Get()
  list(@CurrentUser() user: User, @ListParams() query: ListQuery): VhostView[] | Page<VhostView> {
    return answerList(visibleVhosts(this.access, this.topology, user).map((vhost) => presentVhost(vhost, this.sources)), query, ['name']);
  }

  @Get(':vhost')
  @ApiParam(VHOST)
  get(@Param('vhost') vhost: string, @ListParams() query: ListQuery): VhostView {
    return answerItem(presentVhost(this.topology.vhost(vhost), this.sources), query);
  }

  @Put(':vhost')
  @AdminOnly()
  @ApiParam(VHOST)
  @ApiOperation({ summary: 'Create a vhost (its creator gets full permissions in it), or change its description and tags' })
  @ApiResponse({ status: 201, description: 'created' })
  @ApiResponse({ status: 204, description: 'updated' })
  async put(
    @Param('vhost', StorableNamePipe) vhost: string,
    @Body() body: VhostDto,
    @CurrentUser() user: User,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const outcome = await this.vhosts.put(vhost, {
      description: body.description,
      tags: body.tags === undefined ? undefined : parseTags(body.tags),
      defaultQueueType: body.default_queue_type ?? body.defaultqueuetype,
    }, user.name);
    response.status(outcome === 'created' ? 201 : 204);
  }

  @Delete(':vhost')
  @AdminOnly()
  @HttpCode(204)
  @ApiParam(VHOST)
  @ApiOperation({ summary: 'Delete a vhost: its connections are closed, its objects and their stored messages deleted' })
  async delete(@Param('vhost') vhost: string): Promise<void> {
    if (!(await this.vhosts.delete(vhost))) throw new NotFoundException(`no vhost '${vhost}'`);
  }

  @Get(':vhost/permissions')
  @AdminOnly()
  @ApiParam(VHOST)
  permissionsIn(@Param('vhost') vhost: string): PermissionRecord[] {
    this.topology.vhost(vhost);
    return this.permissions.list({ vhost });
  }

  @Get(':vhost/topic-permissions')
  @AdminOnly()
  @ApiParam(VHOST)
  topicPermissionsIn(@Param('vhost') vhost: string): TopicPermissionRecord[] {
    this.topology.vhost(vhost);
    return this.permissions.listTopic({ vhost });
  }
}
