import { DynamicModule, Module } from '@nestjs/common';
import { AmqpModule } from './amqp/amqp.module';
import { WireFormatModule } from './amqp/wire-format.module';
import { BrokerModule } from './broker.module';
import { ConfigModule } from './config/config.module';
import { WarrenConfig } from './config/warren-config';
import { HealthModule } from './health/health.module';
import { HttpApiModule } from './http/http-api.module';
import { PrometheusModule } from './http/prometheus/prometheus.module';
import { NodeModule } from './node/node.module';
import { PostgresModule } from './store/postgres/postgres.module';

@Module({})
export class AppModule {
  static forRoot(config: WarrenConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), HealthModule, NodeModule, WireFormatModule, PostgresModule, BrokerModule, AmqpModule, HttpApiModule, PrometheusModule],
    };
  }
}
