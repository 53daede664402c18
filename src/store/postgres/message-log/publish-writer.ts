/**
 * Group commit for persistent publishes. Publishes gather while the previous
 * batch is being written (and for the rest of the current tick), then go in one
 * transaction with synchronous_commit on; every publisher in the batch is told
 * at once. A failed batch is retried until the database takes it: confirms wait,
 * nothing confirmed is ever dropped.
 */
import { performance } from 'perf_hooks';
import type { StoredEntry } from '../../../broker/ports/message-store';
import { StoreMetrics, UNWATCHED_STORE } from '../../../broker/ports/store-metrics';
import type { DedicatedConnection } from './dedicated-connection';
import { binaryArray, integerArray, OID, textElements } from './binary-arrays';
import { createPartitionsSql, partitionNames, SegmentRegistry } from './segments';

export interface PendingPublish {
  segment: number;
  messageId: number;
  exchange: string;
  routingKey: string;
  properties: Buffer;
  body: Buffer;
  entries: StoredEntry[];
  done: (error?: Error) => void;
}

const MAX_BATCH_MESSAGES = 2000;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const MAX_RETRY_DELAY_MS = 2000;

export interface WriterHealth {
  failed(error: Error): void;
  recovered(): void;
}

export class PublishWriter {
  private pending: PendingPublish[] = [];
  private running = false;
  private committedUpTo = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly connection: DedicatedConnection,
    private readonly segments: SegmentRegistry,
    private readonly health: WriterHealth,
    private readonly metrics: StoreMetrics = UNWATCHED_STORE,
  ) {}

  /** Highest message id whose publish is committed: events for later ids must wait. */
  get committedWatermark(): number {
    return this.committedUpTo;
  }

  write(publish: PendingPublish): void {
    this.pending.push(publish);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.run());
    }
  }

  /** Resolves once everything handed over so far is committed. */
  drained(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((done) => this.idle.push(done));
  }

  private async run(): Promise<void> {
    let delay = 50;
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      for (;;) {
        try {
          const started = performance.now();
          await this.writeBatch(batch);
          this.metrics.groupCommitted(batch.length, (performance.now() - started) / 1000);
          this.health.recovered();
          delay = 50;
          break;
        } catch (error) {
          this.health.failed(error as Error);
          await new Promise((done) => setTimeout(done, delay));
          delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
        }
      }
      this.committedUpTo = batch[batch.length - 1].messageId;
      for (const publish of batch) publish.done();
    }
    this.running = false;
    for (const done of this.idle.splice(0)) done();
  }

  private takeBatch(): PendingPublish[] {
    let bytes = 0;
    let count = 0;
    while (count < this.pending.length && count < MAX_BATCH_MESSAGES && bytes < MAX_BATCH_BYTES) {
      bytes += this.pending[count].body.length;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async writeBatch(batch: PendingPublish[]): Promise<void> {
    const bySegment = new Map<number, PendingPublish[]>();
    for (const publish of batch) {
      const group = bySegment.get(publish.segment) ?? [];
      group.push(publish);
      bySegment.set(publish.segment, group);
    }
    for (const segment of bySegment.keys()) {
      if (this.segments.created.has(segment)) continue;
      await this.connection.query(createPartitionsSql(segment));
      this.segments.created.add(segment);
    }
    const statements = [...bySegment].map(([segment, publishes]) => insertStatement(segment, publishes));
    if (statements.length === 1) await this.connection.prepared(statements[0]);
    else await this.connection.transaction(async () => {
      for (const statement of statements) await this.connection.prepared(statement);
    });
  }
}

/**
 * Both tables in one statement (one round trip, one implicit transaction) over
 * unnest of binary arrays, prepared once per segment and connection.
 */
function insertStatement(segment: number, publishes: PendingPublish[]): { name: string; sql: string; params: unknown[] } {
  const names = partitionNames(segment);
  const entries = publishes.flatMap((publish) => publish.entries.map((entry) => ({ entry, publish })));
  const sql =
    `WITH m AS (INSERT INTO ${names.messages} (segment, id, exchange, routing_key, properties, body) ` +
    `SELECT ${segment}, * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bytea[], $5::bytea[])) ` +
    `INSERT INTO ${names.entries} (segment, queue_id, seq, priority, message_id, body_size) ` +
    `SELECT ${segment}, * FROM unnest($6::int[], $7::bigint[], $8::smallint[], $9::bigint[], $10::int[])`;
  const params = [
    integerArray(OID.int8, publishes.map((p) => p.messageId)),
    binaryArray(OID.text, textElements(publishes.map((p) => p.exchange))),
    binaryArray(OID.text, textElements(publishes.map((p) => p.routingKey))),
    binaryArray(OID.bytea, publishes.map((p) => p.properties)),
    binaryArray(OID.bytea, publishes.map((p) => p.body)),
    integerArray(OID.int4, entries.map(({ entry }) => entry.queueId)),
    integerArray(OID.int8, entries.map(({ entry }) => entry.seq)),
    integerArray(OID.int2, entries.map(({ entry }) => entry.priority)),
    integerArray(OID.int8, entries.map(({ publish }) => publish.messageId)),
    integerArray(OID.int4, entries.map(({ publish }) => publish.body.length)),
  ];
  return { name: `publish_s${segment}`, sql, params };
}
