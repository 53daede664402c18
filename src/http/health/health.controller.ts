import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthRegistry, HealthReport } from '../../health/health-registry';

/** 200 when every part answers; 503 naming the failing parts otherwise. Open to all, like a load balancer expects. */
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthRegistry) {}

  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport & { status: string; failing?: string[] }> {
    const report = await this.health.report();
    response.status(report.healthy ? 200 : 503);
    const failing = Object.keys(report.checks).filter((part) => report.checks[part].status !== 'ok');
    return report.healthy ? { status: 'ok', ...report } : { status: 'failing', failing, ...report };
  }
}
