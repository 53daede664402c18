import { DynamicModule, Global, Module } from '@nestjs/common';
import { WarrenConfig } from './warren-config';

/** Makes the configuration validated in main.ts injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: WarrenConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: WarrenConfig, useValue: config }], exports: [WarrenConfig] };
  }
}
