/** /api/vhost-limits: max-connections and max-queues per vhost, read by whoever sees the vhost, set by administrators. */
import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBasicAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccessPolicy } from '../../broker/auth/access-policy';
import type { User } from '../../broker/auth/users';
import type { VhostLimitValues } from '../../broker/ports/vhost-limit-store';
import { TopologyService } from '../../broker/topology/topology-service';
import { VHOST_LIMIT_NAMES, VhostLimits } from '../../broker/vhosts/vhost-limits';
import { AdminOnly } from '../auth/access.decorators';
import { CurrentUser } from '../auth/current-user.decorator';
import { visibleVhosts } from '../auth/visible-vhosts';
import { VhostLimitDto } from './dto/vhost.dto';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };
const NAME = { name: 'name', enum: VHOST_LIMIT_NAMES };

type LimitsView = { vhost: string; value: VhostLimitValues };

@ApiTags('vhost-limits')
@ApiBasicAuth()
@Controller('api/vhost-limits')
export class VhostLimitsController {
  constructor(private readonly limits: VhostLimits, private readonly topology: TopologyService, private readonly access: AccessPolicy) {}

  @Get()
  list(@CurrentUser() user: User): LimitsView[] {
    const visible = new Set(visibleVhosts(this.access, this.topology, user).map((vhost) => vhost.name));
    return this.limits.list().filter((limits) => visible.has(limits.vhost));
  }

  @Get(':vhost')
  @ApiParam(VHOST)
  get(@Param('vhost') vhost: string): LimitsView[] {
    this.topology.vhost(vhost);
    const value = this.limits.of(vhost);
    return Object.keys(value).length === 0 ? [] : [{ vhost, value }];
  }

  @Put(':vhost/:name')
  @AdminOnly()
  @HttpCode(204)
  @ApiParam(VHOST)
  @ApiParam(NAME)
  async set(@Param('vhost') vhost: string, @Param('name') name: string, @Body() body: VhostLimitDto): Promise<void> {
    this.topology.vhost(vhost);
    await this.limits.set(vhost, name, body.value);
  }

  @Delete(':vhost/:name')
  @AdminOnly()
  @HttpCode(204)
  @ApiParam(VHOST)
  @ApiParam(NAME)
  async clear(@Param('vhost') vhost: string, @Param('name') name: string): Promise<void> {
    this.topology.vhost(vhost);
    await this.limits.clear(vhost, name);
  }
}
