import { DynamicModule, Module } from '@nestjs/common';
import { AmqpListener } from './amqp/transport/amqp-listener';
import { ConfigModule } from './config/config.module';
import { WarrenConfig } from './config/warren-config';
import { HealthModule } from './health/health.module';
import { HealthController } from './http/health/health.controller';
import { PostgresModule } from './store/postgres/postgres.module';

@Module({})
export class AppModule {
  static forRoot(config: WarrenConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), HealthModule, PostgresModule],
      controllers: [HealthController],
      providers: [AmqpListener],
    };
  }
}
