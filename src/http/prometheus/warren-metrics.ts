/**
 * Warren's own metrics, under warren_: the message store's group commits
 * (latency and batch size, as histograms fed through the StoreMetrics port),
 * the PostgreSQL pool, the memory alarm, and Node.js's process metrics.
 * They live in one registry for the life of the process.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MemoryAlarm } from '../../broker/flow/memory-alarm';
import type { ConnectionPoolStatus, StoreMetrics } from '../../broker/ports/store-metrics';

export class WarrenMetrics implements StoreMetrics {
  readonly registry = new Registry();
  private readonly commitSeconds: Histogram;
  private readonly batchMessages: Histogram;

  constructor() {
    this.commitSeconds = new Histogram({
      name: 'warren_message_store_commit_seconds',
      help: 'Time to write and commit one group of persistent publishes to PostgreSQL',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.batchMessages = new Histogram({
      name: 'warren_message_store_batch_messages',
      help: 'Persistent publishes written in one group commit',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
      registers: [this.registry],
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'warren_' });
  }

  groupCommitted(messages: number, seconds: number): void {
    this.commitSeconds.observe(seconds);
    this.batchMessages.observe(messages);
  }

  /** Gauges read when scraped: the pool and the memory alarm. */
  watch(pool: ConnectionPoolStatus, memory: MemoryAlarm): void {
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(read()); } });
    gauge('warren_postgres_pool_connections', 'Connections the PostgreSQL pool holds, busy or idle', () => pool.total);
    gauge('warren_postgres_pool_idle_connections', 'Connections idle in the PostgreSQL pool', () => pool.idle);
    gauge('warren_postgres_pool_waiting_requests', 'Requests waiting for a connection from the PostgreSQL pool', () => pool.waiting);
    gauge('warren_memory_alarm', '1 while the memory alarm holds publishers back, else 0', () => (memory.isRaised ? 1 : 0));
    gauge('warren_memory_alarm_used_bytes', 'Message bytes queues hold, which the memory alarm watches', () => memory.bytesHeld);
    gauge('warren_memory_alarm_limit_bytes', 'Message bytes queues may hold before the alarm goes off (QUEUE_MEMORY_LIMIT)', () => memory.limitBytes);
  }
}
