/** /api/nodes: Warren is one node. */
import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { MemoryAlarm } from '../../broker/flow/memory-alarm';
import { WarrenConfig } from '../../config/warren-config';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerItem, answerList } from '../lists/list-response';
import { NODE_NAME } from '../presenters/node';
import { presentNode } from '../presenters/node.presenter';

type NodeView = ReturnType<typeof presentNode>;

@ApiTags('nodes')
@ApiBasicAuth()
@Controller('api/nodes')
export class NodesController {
  constructor(private readonly memory: MemoryAlarm, private readonly clients: ClientRegistry, private readonly config: WarrenConfig) {}

  @Get()
  @ApiOperation({ summary: 'The node: memory, file descriptors, sockets, disk, uptime' })
  list(@ListParams() query: ListQuery) {
    return answerList([this.present()], query, ['name']);
  }

  @Get(':name')
  get(@Param('name') name: string, @ListParams() query: ListQuery): NodeView {
    if (name !== NODE_NAME) throw new NotFoundException(`no node '${name}'`);
    return answerItem(this.present(), query);
  }

  private present(): NodeView {
    return presentNode({
      memory: this.memory,
      socketsUsed: this.clients.connectionCount,
      dataDir: this.config.DATABASE_URL ? undefined : this.config.DATA_DIR,
    });
  }
}
