/**
 * Group commit for persistent publishes. Publishes gather while the previous
 * batch is being written (and for the rest of the current tick), then go in one
 * transaction with synchronous_commit on; every publisher in the batch is told
 * at once.
 *
 * Failures are told apart (failure-kind.ts). A transient one (the database is
 * down, restarting, out of disk) is retried with backoff until it passes:
 * confirms wait, and nothing confirmed is ever dropped. A permanent one (the
 * database refuses a value) is retried no more: the batch is split in halves
 * until the refused messages stand alone; those fail (their publishers get
 * basic.nack) and every other message of the batch is committed.
 */
import type { StoredEntry } from '../../../broker/ports/message-store';
import type { DedicatedConnection } from './dedicated-connection';
import { binaryArray, integerArray, OID, utf8Elements } from './binary-arrays';
import { isTransientFailure } from './failure-kind';
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
const FIRST_RETRY_DELAY_MS = 50;
const MAX_RETRY_DELAY_MS = 2000;

export interface WriterHealth {
  failed(error: Error): void;
  recovered(): void;
}

/** A message the database refused for good; its publisher is nacked. */
export class PublishRefused extends Error {
  override readonly name = 'PublishRefused';

  constructor(override readonly cause: Error) {
    super(`the message store refused the message: ${cause.message}`);
  }
}

export class PublishWriter {
  private pending: PendingPublish[] = [];
  private running = false;
  private stopped = false;
  /** Everything written before this run started is resolved: its rows are there. */
  private resolvedUpTo: number;
  /** Publishes of the batch being written and not yet resolved. */
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private waiters: { messageId: number; done: () => void }[] = [];
  /** Cuts short the wait before a retry, so that stop() takes effect at once. */
  private wakeRetry?: () => void;

  constructor(
    private readonly connection: DedicatedConnection,
    private readonly segments: SegmentRegistry,
    private readonly health: WriterHealth,
    private readonly onRefused: (publish: PendingPublish, error: Error) => void = () => undefined,
    lastIdBeforeStart = 0,
  ) {
    this.resolvedUpTo = lastIdBeforeStart;
  }

  /**
   * Highest message id whose publish is resolved: committed, or refused for good.
   * Events for later ids must wait; their entry rows may not exist yet.
   */
  get resolvedWatermark(): number {
    return this.resolvedUpTo;
  }

  /** Publishes handed over and not yet resolved. */
  get pendingCount(): number {
    return this.pending.length + this.inFlight;
  }

  write(publish: PendingPublish): void {
    if (this.stopped) return publish.done(new Error('the message store is shut down'));
    this.pending.push(publish);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.run());
    }
  }

  /** Resolves once everything handed over so far is resolved. */
  drained(): Promise<void> {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((done) => this.idle.push(done));
  }

  /** Resolves once the publish of `messageId` (and every earlier one) is resolved. */
  resolvedThrough(messageId: number): Promise<void> {
    if (this.resolvedUpTo >= messageId) return Promise.resolve();
    return new Promise((done) => this.waiters.push({ messageId, done }));
  }

  /**
   * Stops retrying: what is not written by now fails (no publisher is confirmed for
   * it). For shutdown, once waiting longer is not worth it.
   */
  stop(): void {
    this.stopped = true;
    for (const publish of this.pending.splice(0)) publish.done(new Error('the message store shut down before writing the message'));
    this.wakeRetry?.();
  }

  private async run(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      this.inFlight = batch.length;
      await this.resolve(batch);
      this.inFlight = 0;
      this.resolvedUpTo = batch[batch.length - 1].messageId;
      this.wakeWaiters();
    }
    this.running = false;
    for (const done of this.idle.splice(0)) done();
  }

  /** Writes the batch, splitting off what the database refuses and waiting out what it cannot take now. */
  private async resolve(batch: PendingPublish[]): Promise<void> {
    const parts = [batch];
    let delay = FIRST_RETRY_DELAY_MS;
    while (parts.length > 0) {
      const part = parts.pop()!;
      try {
        await this.writeBatch(part);
        this.health.recovered();
        delay = FIRST_RETRY_DELAY_MS;
        this.inFlight -= part.length;
        for (const publish of part) publish.done();
      } catch (error) {
        if (this.stopped) {
          for (const publish of [part, ...parts].flat()) publish.done(error as Error);
          return;
        }
        if (isTransientFailure(error)) {
          this.health.failed(error as Error);
          parts.push(part);
          await this.retryDelay(delay);
          delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
        } else if (part.length === 1) {
          this.inFlight--;
          this.onRefused(part[0], error as Error);
          part[0].done(new PublishRefused(error as Error));
        } else {
          const middle = part.length >>> 1;
          parts.push(part.slice(middle), part.slice(0, middle));
        }
      }
    }
  }

  private retryDelay(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(done, ms);
      this.wakeRetry = () => {
        clearTimeout(timer);
        done();
      };
    });
  }

  private wakeWaiters(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.messageId <= this.resolvedUpTo) waiter.done();
      else this.waiters.push(waiter);
    }
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
    `SELECT ${segment}, * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[], $5::bytea[])) ` +
    `INSERT INTO ${names.entries} (segment, queue_id, seq, priority, message_id, body_size) ` +
    `SELECT ${segment}, * FROM unnest($6::int[], $7::bigint[], $8::smallint[], $9::bigint[], $10::int[])`;
  const params = [
    integerArray(OID.int8, publishes.map((p) => p.messageId)),
    binaryArray(OID.bytea, utf8Elements(publishes.map((p) => p.exchange))),
    binaryArray(OID.bytea, utf8Elements(publishes.map((p) => p.routingKey))),
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
