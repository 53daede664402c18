/**
 * Deliveries and acks, written in batches on their own connection with
 * synchronous_commit off: losing the last few in a crash means a redelivery,
 * never a loss. A delivery mark whose ack arrives before the flush is never
 * written at all. Between batches this writer also drops dead segments, so no
 * event is ever written into a partition that is gone.
 */
import type { StoredRef } from '../../../broker/ports/message-store';
import type { DedicatedConnection } from './dedicated-connection';
import type { WriterHealth } from './publish-writer';
import { dropPartitionsSql, SegmentRegistry } from './segments';

type Kind = 'd' | 'a';

interface EntryEvent {
  segment: number;
  queueId: number;
  messageId: number;
  kind: Kind;
}

const FLUSH_INTERVAL_MS = 20;
const MAX_BATCH_EVENTS = 5000;

export class EventWriter {
  private pending = new Map<string, EntryEvent>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;

  constructor(
    private readonly connection: DedicatedConnection,
    private readonly segments: SegmentRegistry,
    /** Events wait until the publish of the message they name is resolved (its rows exist, or never will). */
    private readonly resolvedWatermark: () => number,
    /** Highest message id handed out per segment, to know when a segment is fully written. */
    private readonly lastIdOf: (segment: number) => number,
    private readonly health: WriterHealth,
  ) {}

  record(queueId: number, ref: StoredRef, kind: Kind): void {
    const key = `${queueId}:${ref.segment}:${ref.messageId}`;
    // An ack makes an unwritten delivery mark pointless.
    this.pending.set(key, { segment: ref.segment, queueId, messageId: ref.messageId, kind });
    this.schedule();
  }

  /** Writes what can be written now; used at shutdown after the publish writer drained. */
  async flush(): Promise<void> {
    while (this.running) await new Promise((done) => setTimeout(done, 5));
    await this.runOnce();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runOnce().finally(() => {
        if (this.pending.size > 0 || this.segments.dead().length > 0) this.schedule();
      });
    }, FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.writeEvents();
      await this.dropDeadSegments();
      this.health.recovered();
    } catch (error) {
      this.health.failed(error as Error);
    } finally {
      this.running = false;
    }
  }

  private async writeEvents(): Promise<void> {
    const watermark = this.resolvedWatermark();
    const ready: EntryEvent[] = [];
    for (const [key, event] of this.pending) {
      if (!this.segments.created.has(event.segment)) {
        // Its segment was dropped: the event is moot. Or not yet created: its publish is still pending.
        if (event.messageId <= watermark) this.pending.delete(key);
        continue;
      }
      if (event.messageId > watermark) continue;
      ready.push(event);
      this.pending.delete(key);
      if (ready.length === MAX_BATCH_EVENTS) break;
    }
    if (ready.length === 0) return;
    const rows = ready.map((e) => `(${e.segment}, ${e.queueId}, ${e.messageId}, '${e.kind}')`).join(', ');
    try {
      await this.connection.query(`INSERT INTO entry_events (segment, queue_id, message_id, kind) VALUES ${rows}`);
    } catch (error) {
      for (const event of ready) this.pending.set(`${event.queueId}:${event.segment}:${event.messageId}`, event);
      throw error;
    }
  }

  private async dropDeadSegments(): Promise<void> {
    const watermark = this.resolvedWatermark();
    for (const segment of this.segments.dead()) {
      if (this.lastIdOf(segment) > watermark) continue;
      await this.connection.query(dropPartitionsSql(segment));
      this.segments.dropped(segment);
      for (const [key, event] of this.pending) if (event.segment === segment) this.pending.delete(key);
    }
  }
}
