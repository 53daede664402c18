/**
 * Renders the three scrape endpoints of rabbitmq_prometheus in Prometheus'
 * text format with prom-client: /metrics (aggregated: one series per metric),
 * /metrics/per-object (one series per queue, channel, connection...), and
 * /metrics/detailed (only the families asked for with `family`, optionally
 * only some vhosts with `vhost`, under rabbitmq_detailed_). Each scrape reads
 * the broker's live state into a fresh registry; nothing is kept between.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { familiesFor, Family, Labels, MetricSources } from './metric-families';
import { alarms, globalCounters, identity, Sample, totals } from './global-metrics';
import type { WarrenMetrics } from './warren-metrics';

export type Endpoint = 'aggregated' | 'per-object' | 'detailed';

export interface DetailedQuery {
  families: string[];
  vhosts: string[];
}

export class PrometheusExporter {
  constructor(private readonly sources: MetricSources, private readonly warren: WarrenMetrics) {}

  get contentType(): string {
    return this.warren.registry.contentType;
  }

  async render(endpoint: Endpoint, query: DetailedQuery = { families: [], vhosts: [] }): Promise<string> {
    const registry = new Registry();
    if (endpoint === 'detailed') {
      const vhosts = query.vhosts.length > 0 ? new Set(query.vhosts) : undefined;
      for (const family of familiesFor(new Set(query.families))) this.addFamily(registry, family, 'rabbitmq_detailed_', true, vhosts);
      addSamples(registry, identity('detailed'));
      return registry.metrics();
    }
    const perObject = endpoint === 'per-object';
    for (const family of familiesFor(undefined)) this.addFamily(registry, family, 'rabbitmq_', perObject);
    addSamples(registry, [...totals(this.sources), ...globalCounters(this.sources), ...alarms(this.sources), ...identity(endpoint)]);
    return (await registry.metrics()) + (await this.warren.registry.metrics());
  }

  private addFamily(registry: Registry, family: Family, prefix: string, perObject: boolean, vhosts?: Set<string>): void {
    const objects = family.objects(this.sources, vhosts);
    for (const metric of family.metrics) {
      const series: Sample['series'] = [];
      if (perObject) {
        for (const { labels, item } of objects) {
          const value = metric.value(item);
          if (value !== undefined) series.push({ labels, value });
        }
      } else {
        const values = objects.map(({ item }) => metric.value(item)).filter((value): value is number => value !== undefined);
        if (objects.length === 0 || values.length > 0) series.push({ labels: {}, value: values.reduce((sum, value) => sum + value, 0) });
      }
      // A value the node cannot tell (free disk with DATABASE_URL) is left out, not shown as 0.
      if (series.length === 0 && family.labelNames.length === 0) continue;
      addSamples(registry, [{ name: prefix + metric.name, type: metric.type, help: metric.help, series }], perObject ? family.labelNames : []);
    }
  }
}

/** `labelNames` declares labels even when there are no series, so that an empty family prints no sample. */
function addSamples(registry: Registry, samples: Sample[], declared: string[] = []): void {
  for (const { name, type, help, series } of samples) {
    const labelNames = [...new Set([...declared, ...series.flatMap((s) => Object.keys(s.labels))])];
    if (type === 'counter') {
      const counter = new Counter({ name, help, labelNames, registers: [registry] });
      for (const { labels, value } of series) counter.inc(labels as Labels, value);
    } else {
      const gauge = new Gauge({ name, help, labelNames, registers: [registry] });
      for (const { labels, value } of series) gauge.set(labels as Labels, value);
    }
  }
}
