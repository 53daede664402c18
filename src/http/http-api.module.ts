import { Module } from '@nestjs/common';
import { HealthController } from './health/health.controller';

/** The HTTP API: health, and the management-style topology and admin endpoints. */
@Module({ controllers: [HealthController] })
export class HttpApiModule {}
