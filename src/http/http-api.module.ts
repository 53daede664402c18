/**
 * The HTTP API: health, and the management-style topology and admin endpoints.
 * Basic auth and the access policy guard every route except those marked
 * @Public() (see BasicAuthGuard); one filter turns
 * every error into `{error, reason}`; request bodies must be JSON objects.
 * setupHttpApi(app), called by main.ts before listening, mounts the OpenAPI docs
 * and raises the JSON body limit.
 */
import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DefinitionsController } from './admin/definitions.controller';
import { NodesController } from './admin/nodes.controller';
import { OverviewController } from './admin/overview.controller';
import { PermissionsController } from './admin/permissions.controller';
import { UsersController } from './admin/users.controller';
import { VhostLimitsController } from './admin/vhost-limits.controller';
import { VhostsController } from './admin/vhosts.controller';
import { BasicAuthGuard } from './auth/basic-auth.guard';
import { Public } from './auth/public.decorator';
import { ChannelsController } from './clients/channels.controller';
import { ConnectionsController } from './clients/connections.controller';
import { ConsumersController } from './clients/consumers.controller';
import { JsonBodyMiddleware } from './common/json-body.middleware';
import { ApiExceptionFilter } from './filters/api-exception.filter';
import { HealthController } from './health/health.controller';
import { BindingsController } from './topology/bindings.controller';
import { ExchangesController } from './topology/exchanges.controller';
import { MessagesController } from './topology/messages.controller';
import { QueuesController } from './topology/queues.controller';

// Load balancers probe health without credentials. Marked here because the
// health controller belongs to the lifecycle work, not to the API's auth.
Public()(HealthController);

@Module({
  controllers: [
    HealthController,
    ExchangesController,
    QueuesController,
    BindingsController,
    MessagesController,
    OverviewController,
    VhostsController,
    VhostLimitsController,
    UsersController,
    PermissionsController,
    DefinitionsController,
    ConnectionsController,
    ChannelsController,
    ConsumersController,
    NodesController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: BasicAuthGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class HttpApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes('*path');
  }
}
