/**
 * Metrics for Prometheus: the store reports through the StoreMetrics port into
 * Warren's histograms; the exporter reads the broker's live state when scraped;
 * the endpoint serves both on PROMETHEUS_PORT (main.ts makes it listen).
 */
import { Global, Module } from '@nestjs/common';
import { ClientRegistry } from '../../broker/clients/client-registry';
import { MemoryAlarm } from '../../broker/flow/memory-alarm';
import { CONNECTION_POOL_STATUS, ConnectionPoolStatus, STORE_METRICS } from '../../broker/ports/store-metrics';
import { TopologyService } from '../../broker/topology/topology-service';
import { WarrenConfig } from '../../config/warren-config';
import { PrometheusEndpoint } from './prometheus-endpoint';
import { PrometheusExporter } from './prometheus-exporter';
import { WarrenMetrics } from './warren-metrics';

@Global()
@Module({
  providers: [
    { provide: WarrenMetrics, useFactory: () => new WarrenMetrics() },
    { provide: STORE_METRICS, useExisting: WarrenMetrics },
    {
      provide: PrometheusExporter,
      inject: [TopologyService, ClientRegistry, MemoryAlarm, WarrenConfig, WarrenMetrics, CONNECTION_POOL_STATUS],
      useFactory: (topology: TopologyService, clients: ClientRegistry, memory: MemoryAlarm, config: WarrenConfig, warren: WarrenMetrics, pool: ConnectionPoolStatus) => {
        warren.watch(pool, memory);
        return new PrometheusExporter({ topology, clients, memory, dataDir: config.DATABASE_URL ? undefined : config.DATA_DIR }, warren);
      },
    },
    PrometheusEndpoint,
  ],
  exports: [STORE_METRICS, PrometheusEndpoint],
})
export class PrometheusModule {}
