/** /api/definitions: export and import everything in RabbitMQ's definitions format; administrators only. */
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PermissionService } from '../../broker/auth/permissions';
import { UserService } from '../../broker/auth/users';
import { TopologyService } from '../../broker/topology/topology-service';
import { VhostLimits } from '../../broker/vhosts/vhost-limits';
import { VhostService } from '../../broker/vhosts/vhost-service';
import { AdminOnly } from '../auth/access.decorators';
import { exportDefinitions, exportVhostDefinitions } from '../presenters/definitions.presenter';
import { DefinitionsDto } from './dto/definitions.dto';
import { DefinitionTargets, importDefinitions } from './import-definitions';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };

@ApiTags('definitions')
@ApiBasicAuth()
@AdminOnly()
@Controller('api/definitions')
export class DefinitionsController {
  private readonly targets: DefinitionTargets;

  constructor(
    private readonly topology: TopologyService,
    private readonly users: UserService,
    private readonly permissions: PermissionService,
    private readonly limits: VhostLimits,
    vhosts: VhostService,
  ) {
    this.targets = { topology, users, permissions, vhosts, limits };
  }

  @Get()
  @ApiOperation({ summary: 'Export users (with password hashes), vhosts, permissions, limits, exchanges, queues and bindings' })
  export(): ReturnType<typeof exportDefinitions> {
    return exportDefinitions(this.topology.vhosts(), {
      users: this.users.list(),
      permissions: this.permissions.list(),
      topicPermissions: this.permissions.listTopic(),
      limits: this.limits.list(),
    });
  }

  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: 'Import a definitions file, RabbitMQ 3.x exports included; missing vhosts are created' })
  import(@Body() definitions: DefinitionsDto): Promise<void> {
    return importDefinitions(this.targets, definitions);
  }

  @Get(':vhost')
  @ApiParam(VHOST)
  exportVhost(@Param('vhost') vhost: string): ReturnType<typeof exportVhostDefinitions> {
    return exportVhostDefinitions(this.topology.vhost(vhost), this.limits.of(vhost));
  }

  @Post(':vhost')
  @HttpCode(204)
  @ApiParam(VHOST)
  importVhost(@Param('vhost') vhost: string, @Body() definitions: DefinitionsDto): Promise<void> {
    this.topology.vhost(vhost);
    return importDefinitions(this.targets, definitions, vhost);
  }
}
