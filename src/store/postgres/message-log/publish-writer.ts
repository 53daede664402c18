/**
 * Group commit for persistent publishes. Publishes gather while the previous
 * batch is being written (and for the rest of the current tick), then go in one
 * transaction with synchronous_commit on; every publisher in the batch is told
 * at once. A failed batch is retried until the database takes it: confirms wait,
 * nothing confirmed is ever dropped.
 */
import type { StoredEntry } from '../../../broker/ports/message-store';
import type { DedicatedConnection } from './dedicated-connection';
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
          await this.writeBatch(batch);
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
    if (statements.length === 1) await this.connection.query(statements[0].sql, statements[0].params);
    else await this.connection.transaction(async (query) => {
      for (const { sql, params } of statements) await query(sql, params);
    });
  }
}

/** Both tables in one statement (one round trip, one implicit transaction); bodies go as binary parameters. */
function insertStatement(segment: number, publishes: PendingPublish[]): { sql: string; params: unknown[] } {
  const names = partitionNames(segment);
  const params: unknown[] = [];
  const messageRows: string[] = [];
  const entryRows: string[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  for (const publish of publishes) {
    const id = p(publish.messageId);
    messageRows.push(`(${segment}, ${id}, ${p(publish.exchange)}, ${p(publish.routingKey)}, ${p(publish.properties)}, ${p(publish.body)})`);
    for (const entry of publish.entries) {
      entryRows.push(`(${segment}, ${entry.queueId}, ${entry.seq}, ${entry.priority}, ${id}::bigint, ${publish.body.length})`);
    }
  }
  const sql =
    `WITH m AS (INSERT INTO ${names.messages} (segment, id, exchange, routing_key, properties, body) VALUES ${messageRows.join(', ')}) ` +
    `INSERT INTO ${names.entries} (segment, queue_id, seq, priority, message_id, body_size) VALUES ${entryRows.join(', ')}`;
  return { sql, params };
}
