/** /api/permissions and /api/topic-permissions: who may do what in which vhost; administrators only. */
import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PermissionService } from '../../broker/auth/permissions';
import type { PermissionRecord, TopicPermissionRecord } from '../../broker/ports/user-store';
import { AdminOnly } from '../auth/access.decorators';
import { PermissionDto, TopicPermissionDto } from './dto/permission.dto';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };

@ApiTags('permissions')
@ApiBasicAuth()
@AdminOnly()
@Controller('api')
export class PermissionsController {
  constructor(private readonly permissions: PermissionService) {}

  @Get('permissions')
  list(): PermissionRecord[] {
    return this.permissions.list();
  }

  @Get('permissions/:vhost/:user')
  @ApiParam(VHOST)
  get(@Param('vhost') vhost: string, @Param('user') user: string): PermissionRecord {
    const found = this.permissions.of(user, vhost);
    if (!found) throw new NotFoundException(`no permissions for user '${user}' in vhost '${vhost}'`);
    return { ...found.record };
  }

  @Put('permissions/:vhost/:user')
  @ApiParam(VHOST)
  @ApiResponse({ status: 201, description: 'granted' })
  @ApiResponse({ status: 204, description: 'replaced' })
  @ApiResponse({ status: 400, description: 'no such user or vhost, or an invalid regular expression' })
  async set(@Param('vhost') vhost: string, @Param('user') user: string, @Body() body: PermissionDto, @Res({ passthrough: true }) response: Response): Promise<void> {
    const existed = await this.permissions.set({ user, vhost, configure: body.configure, write: body.write, read: body.read });
    response.status(existed ? 204 : 201);
  }

  @Delete('permissions/:vhost/:user')
  @HttpCode(204)
  @ApiParam(VHOST)
  async clear(@Param('vhost') vhost: string, @Param('user') user: string): Promise<void> {
    if (!(await this.permissions.clear(user, vhost))) throw new NotFoundException(`no permissions for user '${user}' in vhost '${vhost}'`);
  }

  @Get('topic-permissions')
  listTopic(): TopicPermissionRecord[] {
    return this.permissions.listTopic();
  }

  @Get('topic-permissions/:vhost/:user')
  @ApiParam(VHOST)
  getTopic(@Param('vhost') vhost: string, @Param('user') user: string): TopicPermissionRecord[] {
    const found = this.permissions.listTopic({ user, vhost });
    if (found.length === 0) throw new NotFoundException(`no topic permissions for user '${user}' in vhost '${vhost}'`);
    return found;
  }

  @Put('topic-permissions/:vhost/:user')
  @ApiParam(VHOST)
  @ApiResponse({ status: 201, description: 'granted' })
  @ApiResponse({ status: 204, description: "replaced that exchange's" })
  async setTopic(
    @Param('vhost') vhost: string,
    @Param('user') user: string,
    @Body() body: TopicPermissionDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const existed = await this.permissions.setTopic({ user, vhost, exchange: body.exchange, write: body.write, read: body.read });
    response.status(existed ? 204 : 201);
  }

  @Delete('topic-permissions/:vhost/:user')
  @HttpCode(204)
  @ApiParam(VHOST)
  @ApiQuery({ name: 'exchange', required: false, description: "only this exchange's; all of them without it" })
  async clearTopic(@Param('vhost') vhost: string, @Param('user') user: string, @Query('exchange') exchange?: string): Promise<void> {
    if (exchange !== undefined && typeof exchange !== 'string') throw new BadRequestException("query parameter 'exchange' must be given once");
    if (!(await this.permissions.clearTopic(user, vhost, exchange))) {
      throw new NotFoundException(`no topic permissions for user '${user}' in vhost '${vhost}'`);
    }
  }
}
