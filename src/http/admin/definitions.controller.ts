/** /api/definitions: export and import the topology in RabbitMQ's definitions format. */
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { UserDirectory } from '../../broker/auth/users';
import { TopologyService } from '../../broker/topology/topology-service';
import { exportDefinitions, exportVhostDefinitions } from '../presenters/definitions.presenter';
import { DefinitionsDto } from './dto/definitions.dto';
import { importDefinitions } from './import-definitions';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };

@ApiTags('definitions')
@ApiBasicAuth()
@Controller('api/definitions')
export class DefinitionsController {
  constructor(private readonly topology: TopologyService, private readonly users: UserDirectory) {}

  @Get()
  @ApiOperation({ summary: 'Export users, vhosts, exchanges, queues and bindings' })
  export(): ReturnType<typeof exportDefinitions> {
    return exportDefinitions(this.topology.vhosts(), this.users.list());
  }

  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: 'Import exchanges, queues and bindings into existing vhosts' })
  import(@Body() definitions: DefinitionsDto): Promise<void> {
    return importDefinitions(this.topology, definitions);
  }

  @Get(':vhost')
  @ApiParam(VHOST)
  exportVhost(@Param('vhost') vhost: string): ReturnType<typeof exportVhostDefinitions> {
    return exportVhostDefinitions(this.topology.vhost(vhost));
  }

  @Post(':vhost')
  @HttpCode(204)
  @ApiParam(VHOST)
  importVhost(@Param('vhost') vhost: string, @Body() definitions: DefinitionsDto): Promise<void> {
    this.topology.vhost(vhost);
    return importDefinitions(this.topology, definitions, vhost);
  }
}
