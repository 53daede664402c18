/** /api/users: RabbitMQ's user management, for administrators only. */
import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { HashingAlgorithm } from '../../broker/auth/password-hash';
import { PermissionService } from '../../broker/auth/permissions';
import { parseTags, UserService } from '../../broker/auth/users';
import type { PermissionRecord, TopicPermissionRecord } from '../../broker/ports/user-store';
import { AdminOnly } from '../auth/access.decorators';
import { StorableNamePipe } from '../common/storable-text';
import { presentUser, UserView } from '../presenters/user.presenter';
import { BulkDeleteUsersDto, UserDto } from './dto/user.dto';

@ApiTags('users')
@ApiBasicAuth()
@AdminOnly()
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UserService, private readonly permissions: PermissionService) {}

  @Get()
  @ApiOperation({ summary: 'Every user, with its password hash and tags' })
  list(): UserView[] {
    return this.users.list().map(presentUser);
  }

  @Get('without-permissions')
  @ApiOperation({ summary: 'Users that have no permissions in any vhost' })
  withoutPermissions(): UserView[] {
    const withSome = new Set(this.permissions.list().map((p) => p.user));
    return this.users.list().filter((user) => !withSome.has(user.name)).map(presentUser);
  }

  @Post('bulk-delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the users named in {"users": [...]}; unknown names are skipped' })
  async bulkDelete(@Body() body: BulkDeleteUsersDto): Promise<void> {
    for (const name of body.users) await this.users.delete(name);
  }

  @Get(':name')
  get(@Param('name') name: string): UserView {
    return presentUser(this.users.get(name) ?? notFound(name));
  }

  @Put(':name')
  @ApiResponse({ status: 201, description: 'created' })
  @ApiResponse({ status: 204, description: 'replaced: tags and password (none given clears the password, as in RabbitMQ)' })
  async put(@Param('name', StorableNamePipe) name: string, @Body() body: UserDto, @Res({ passthrough: true }) response: Response): Promise<void> {
    const outcome = await this.users.put(name, {
      password: body.password,
      passwordHash: body.password_hash,
      hashingAlgorithm: body.hashing_algorithm as HashingAlgorithm | undefined,
      tags: parseTags(body.tags),
    });
    response.status(outcome === 'created' ? 201 : 204);
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the user with its permissions, closing its connections' })
  async delete(@Param('name') name: string): Promise<void> {
    if (!(await this.users.delete(name))) notFound(name);
  }

  @Get(':name/permissions')
  permissionsOf(@Param('name') name: string): PermissionRecord[] {
    if (!this.users.has(name)) notFound(name);
    return this.permissions.list({ user: name });
  }

  @Get(':name/topic-permissions')
  topicPermissionsOf(@Param('name') name: string): TopicPermissionRecord[] {
    if (!this.users.has(name)) notFound(name);
    return this.permissions.listTopic({ user: name });
  }
}

function notFound(name: string): never {
  throw new NotFoundException(`no user '${name}'`);
}
