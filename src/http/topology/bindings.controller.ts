/**
 * /api/bindings: list bindings, create one between an exchange and a queue or
 * another exchange, and read or delete one by its properties key (the name
 * RabbitMQ's API gives a binding: routing key plus a hash of its arguments).
 */
import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Binding, DestinationKind, propertiesKey } from '../../broker/topology/binding';
import { AccessPolicy } from '../../broker/auth/access-policy';
import type { User } from '../../broker/auth/users';
import { TopologyService } from '../../broker/topology/topology-service';
import { CurrentUser } from '../auth/current-user.decorator';
import { visibleVhosts } from '../auth/visible-vhosts';
import { exchangeNameInUrl, ExchangeNamePipe } from '../common/exchange-name.pipe';
import { ListParams, ListQuery } from '../lists/list-query';
import { answerList, Page } from '../lists/list-response';
import { BINDING_SORT, bindingsIn, BindingView, presentBinding, presentBindings } from '../presenters/binding.presenter';
import { BindingDto } from './dto/binding.dto';

const VHOST = { name: 'vhost', description: 'URL-encoded: the default vhost / is %2F' };
const PROPS = { name: 'props', description: "the binding's properties_key, from a listing or the Location of its creation" };

@ApiTags('bindings')
@ApiBasicAuth()
@Controller('api/bindings')
export class BindingsController {
  constructor(private readonly topology: TopologyService, private readonly access: AccessPolicy) {}

  @Get()
  @ApiOperation({ summary: 'Every binding in every vhost the user may see, including the implicit default-exchange ones' })
  list(@CurrentUser() user: User, @ListParams() query: ListQuery): BindingView[] | Page<BindingView> {
    return answerList(visibleVhosts(this.access, this.topology, user).flatMap((vhost) => presentBindings(vhost)), query, BINDING_SORT);
  }

  @Get(':vhost')
  @ApiParam(VHOST)
  listIn(@Param('vhost') vhost: string, @ListParams() query: ListQuery): BindingView[] | Page<BindingView> {
    return answerList(presentBindings(this.topology.vhost(vhost)), query, BINDING_SORT);
  }

  @Get(':vhost/e/:source/q/:destination')
  @ApiParam(VHOST)
  listToQueue(
    @Param('vhost') vhost: string, @Param('source', ExchangeNamePipe) source: string, @Param('destination') destination: string, @ListParams() query: ListQuery,
  ): BindingView[] | Page<BindingView> {
    return answerList(this.between(vhost, source, 'queue', destination).map(presentBinding), query, BINDING_SORT);
  }

  @Get(':vhost/e/:source/e/:destination')
  @ApiParam(VHOST)
  listToExchange(
    @Param('vhost') vhost: string, @Param('source', ExchangeNamePipe) source: string, @Param('destination', ExchangeNamePipe) destination: string, @ListParams() query: ListQuery,
  ): BindingView[] | Page<BindingView> {
    return answerList(this.between(vhost, source, 'exchange', destination).map(presentBinding), query, BINDING_SORT);
  }

  @Post(':vhost/e/:source/q/:destination')
  @HttpCode(201)
  @ApiParam(VHOST)
  @ApiResponse({ status: 201, description: 'bound; Location names the binding' })
  bindQueue(
    @Param('vhost') vhost: string,
    @Param('source', ExchangeNamePipe) source: string,
    @Param('destination') destination: string,
    @Body() body: BindingDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    return this.bind({ vhost, source, destination, destinationKind: 'queue', routingKey: body.routing_key, arguments: body.arguments }, response, user);
  }

  @Post(':vhost/e/:source/e/:destination')
  @HttpCode(201)
  @ApiParam(VHOST)
  @ApiResponse({ status: 201, description: 'bound; Location names the binding' })
  bindExchange(
    @Param('vhost') vhost: string,
    @Param('source', ExchangeNamePipe) source: string,
    @Param('destination', ExchangeNamePipe) destination: string,
    @Body() body: BindingDto,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    return this.bind({ vhost, source, destination, destinationKind: 'exchange', routingKey: body.routing_key, arguments: body.arguments }, response, user);
  }

  @Get(':vhost/e/:source/q/:destination/:props')
  @ApiParam(VHOST)
  @ApiParam(PROPS)
  getToQueue(@Param('vhost') vhost: string, @Param('source', ExchangeNamePipe) source: string, @Param('destination') destination: string, @Param('props') props: string): BindingView {
    return presentBinding(this.find(vhost, source, 'queue', destination, props));
  }

  @Get(':vhost/e/:source/e/:destination/:props')
  @ApiParam(VHOST)
  @ApiParam(PROPS)
  getToExchange(@Param('vhost') vhost: string, @Param('source', ExchangeNamePipe) source: string, @Param('destination', ExchangeNamePipe) destination: string, @Param('props') props: string): BindingView {
    return presentBinding(this.find(vhost, source, 'exchange', destination, props));
  }

  @Delete(':vhost/e/:source/q/:destination/:props')
  @HttpCode(204)
  @ApiParam(VHOST)
  @ApiParam(PROPS)
  unbindQueue(
    @Param('vhost') vhost: string,
    @Param('source', ExchangeNamePipe) source: string,
    @Param('destination') destination: string,
    @Param('props') props: string,
    @CurrentUser() user: User,
  ): Promise<void> {
    return this.unbind(this.find(vhost, source, 'queue', destination, props), user);
  }

  @Delete(':vhost/e/:source/e/:destination/:props')
  @HttpCode(204)
  @ApiParam(VHOST)
  @ApiParam(PROPS)
  unbindExchange(
    @Param('vhost') vhost: string,
    @Param('source', ExchangeNamePipe) source: string,
    @Param('destination', ExchangeNamePipe) destination: string,
    @Param('props') props: string,
    @CurrentUser() user: User,
  ): Promise<void> {
    return this.unbind(this.find(vhost, source, 'exchange', destination, props), user);
  }

  private async bind(binding: Binding, response: Response, user: User): Promise<void> {
    this.access.httpResources(user, binding.vhost).bind(binding);
    await this.topology.bind(binding);
    response.setHeader('Location', bindingUrl(binding));
  }

  private unbind(binding: Binding, user: User): Promise<void> {
    this.access.httpResources(user, binding.vhost).bind(binding);
    return this.topology.unbind(binding);
  }

  /** The bindings between two objects; 404 when either does not exist. */
  private between(vhost: string, source: string, destinationKind: DestinationKind, destination: string): Binding[] {
    this.topology.exchange(vhost, source);
    if (destinationKind === 'queue') this.topology.queue(vhost, destination);
    else this.topology.exchange(vhost, destination);
    return bindingsIn(this.topology.vhost(vhost), { source, destination, destinationKind });
  }

  private find(vhost: string, source: string, destinationKind: DestinationKind, destination: string, props: string): Binding {
    const binding = this.between(vhost, source, destinationKind, destination).find((b) => propertiesKey(b.routingKey, b.arguments) === props);
    if (!binding) throw new NotFoundException(`no binding '${props}' from exchange '${source}' to ${destinationKind} '${destination}' in vhost '${vhost}'`);
    return binding;
  }
}

export function bindingUrl(binding: Binding): string {
  const kind = binding.destinationKind === 'queue' ? 'q' : 'e';
  const destination = binding.destinationKind === 'queue' ? encodeURIComponent(binding.destination) : exchangeNameInUrl(binding.destination);
  const props = encodeURIComponent(propertiesKey(binding.routingKey, binding.arguments));
  return `/api/bindings/${encodeURIComponent(binding.vhost)}/e/${exchangeNameInUrl(binding.source)}/${kind}/${destination}/${props}`;
}
