/** /api/exchanges: list, read, declare and delete exchanges, and list their bindings. */
import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Statistics } from '../../broker/stats/statistics';
import { AccessPolicy } from '../../broker/auth/access-policy';
import type { User } from '../../broker/auth/users';
import { TopologyService } from '../../broker/topology/topology-service';
import { CurrentUser } from '../auth/current-user.decorator';
import { visibleVhosts } from '../auth/visible-vhosts';
import { ExchangeNamePipe } from '../common/exchange-name.pipe';
import { QueryFlag } from '../common/query-flag.decorator';
import { StorableNamePipe } from '../common/storable-text';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerItem, answerList, answerListing, Page } from '../lists/list-response';
import type { Exchange } from '../../broker/topology/exchange';
import { BINDING_SORT, BindingView, presentBindings } from '../presenters/binding.presenter';
import { exchangeBasics, ExchangeView, presentExchange } from '../presenters/exchange.presenter';
import { ExchangeDeclarationDto, toExchangeDeclaration } from './dto/exchange.dto';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };
const NAME = { name: 'name', description: 'amq.default names the default exchange' };

@ApiTags('exchanges')
@ApiBasicAuth()
@Controller('api/exchanges')
export class ExchangesController {
  constructor(private readonly topology: TopologyService, private readonly access: AccessPolicy, private readonly statistics: Statistics) {}

  @Get()
  @ApiOperation({ summary: 'Every exchange in every vhost the user may see; with page, RabbitMQ\'s paged envelope' })
  list(@CurrentUser() user: User, @ListParams() query: ListQuery): ExchangeView[] | Page<ExchangeView> {
    return this.listOf(visibleVhosts(this.access, this.topology, user).flatMap((vhost) => [...vhost.exchanges.values()]), query);
  }

  @Get(':vhost')
  @ApiParam(VHOST)
  listIn(@Param('vhost') vhost: string, @ListParams() query: ListQuery): ExchangeView[] | Page<ExchangeView> {
    return this.listOf([...this.topology.vhost(vhost).exchanges.values()], query);
  }

  @Get(':vhost/:name')
  @ApiParam(VHOST)
  @ApiParam(NAME)
  get(@Param('vhost') vhost: string, @Param('name', ExchangeNamePipe) name: string, @ListParams() query: ListQuery): ExchangeView {
    return answerItem(presentExchange(this.topology.exchange(vhost, name), this.statistics), query);
  }

  @Put(':vhost/:name')
  @ApiParam(VHOST)
  @ApiResponse({ status: 201, description: 'declared' })
  @ApiResponse({ status: 204, description: 'already existed with the same settings' })
  @ApiResponse({ status: 400, description: 'unknown type, bad argument, name too long, or inequivalent to the existing one' })
  async declare(
    @Param('vhost') vhost: string,
    @Param('name', ExchangeNamePipe, StorableNamePipe) name: string,
    @Body() body: ExchangeDeclarationDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const existed = this.topology.vhost(vhost).exchanges.has(name);
    const declaration = toExchangeDeclaration(body);
    const resources = this.access.httpResources(user, vhost);
    await this.topology.declareExchange(vhost, name, declaration, false, (exchange, isNew) => resources.declareExchange(exchange, declaration.arguments, isNew));
    response.status(existed ? 204 : 201);
  }

  @Delete(':vhost/:name')
  @HttpCode(204)
  @ApiParam(VHOST)
  @ApiQuery({ name: 'if-unused', required: false, enum: ['true', 'false'] })
  delete(
    @Param('vhost') vhost: string,
    @Param('name', ExchangeNamePipe) name: string,
    @QueryFlag('if-unused') ifUnused: boolean,
    @CurrentUser() user: User,
  ): Promise<void> {
    return this.topology.deleteExchange(vhost, name, { ifUnused, authorize: () => this.access.httpResources(user, vhost).deleteExchange(name) });
  }

  private listOf(exchanges: Exchange[], query: ListQuery): ExchangeView[] | Page<ExchangeView> {
    return answerListing({ items: exchanges, present: (exchange) => presentExchange(exchange, this.statistics), basic: exchangeBasics }, query);
  }

  @Get(':vhost/:name/bindings/source')
  @ApiOperation({ summary: 'Bindings in which this exchange is the source' })
  @ApiParam(VHOST)
  @ApiParam(NAME)
  bindingsFrom(@Param('vhost') vhost: string, @Param('name', ExchangeNamePipe) name: string, @ListParams() query: ListQuery): BindingView[] | Page<BindingView> {
    this.topology.exchange(vhost, name);
    return answerList(presentBindings(this.topology.vhost(vhost), { source: name }), query, BINDING_SORT);
  }

  @Get(':vhost/:name/bindings/destination')
  @ApiOperation({ summary: 'Bindings in which this exchange is the destination' })
  @ApiParam(VHOST)
  @ApiParam(NAME)
  bindingsTo(@Param('vhost') vhost: string, @Param('name', ExchangeNamePipe) name: string, @ListParams() query: ListQuery): BindingView[] | Page<BindingView> {
    this.topology.exchange(vhost, name);
    return answerList(presentBindings(this.topology.vhost(vhost), { destination: name, destinationKind: 'exchange' }), query, BINDING_SORT);
  }
}
