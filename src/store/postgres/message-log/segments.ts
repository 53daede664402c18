/**
 * Segments are the unit of space reclamation. Every message belongs to the
 * segment that was current when it was published; each segment has its own
 * partitions of messages, queue_entries and entry_events. The registry counts
 * live entries per segment (and per queue within it) so that a segment whose
 * entries are all acked, purged or deleted can be dropped whole.
 */
export const SEGMENT_MESSAGES = 50_000;

export class SegmentRegistry {
  private currentSegment: number;
  private inCurrent = 0;
  private readonly live = new Map<number, number>();
  private readonly liveByQueue = new Map<number, Map<number, number>>();
  /** Segments whose partitions exist in the database. */
  readonly created = new Set<number>();

  constructor(firstSegment: number, private readonly messagesPerSegment = SEGMENT_MESSAGES) {
    this.currentSegment = firstSegment;
  }

  get current(): number {
    return this.currentSegment;
  }

  /** The segment for the next message; rotates once the current one is full. */
  assign(): number {
    if (this.inCurrent >= this.messagesPerSegment) {
      this.currentSegment++;
      this.inCurrent = 0;
    }
    this.inCurrent++;
    return this.currentSegment;
  }

  addLive(segment: number, queueId: number, count = 1): void {
    this.live.set(segment, (this.live.get(segment) ?? 0) + count);
    const byQueue = this.liveByQueue.get(queueId) ?? new Map<number, number>();
    byQueue.set(segment, (byQueue.get(segment) ?? 0) + count);
    this.liveByQueue.set(queueId, byQueue);
  }

  removeLive(segment: number, queueId: number, count = 1): void {
    this.live.set(segment, (this.live.get(segment) ?? 0) - count);
    const byQueue = this.liveByQueue.get(queueId);
    if (!byQueue) return;
    const left = (byQueue.get(segment) ?? 0) - count;
    if (left > 0) byQueue.set(segment, left);
    else byQueue.delete(segment);
  }

  /** A deleted queue's entries are dead wherever they are. */
  forgetQueue(queueId: number): void {
    const byQueue = this.liveByQueue.get(queueId);
    if (!byQueue) return;
    for (const [segment, count] of byQueue) this.live.set(segment, (this.live.get(segment) ?? 0) - count);
    this.liveByQueue.delete(queueId);
  }

  liveIn(segment: number): number {
    return this.live.get(segment) ?? 0;
  }

  /** Older segments without live entries: safe to drop once their writes are committed. */
  dead(): number[] {
    return [...this.created].filter((segment) => segment < this.currentSegment && this.liveIn(segment) <= 0);
  }

  dropped(segment: number): void {
    this.created.delete(segment);
    this.live.delete(segment);
  }
}

export const partitionNames = (segment: number) => ({
  messages: `messages_s${segment}`,
  entries: `queue_entries_s${segment}`,
  events: `entry_events_s${segment}`,
});

export function createPartitionsSql(segment: number): string {
  const names = partitionNames(segment);
  return [
    `CREATE TABLE IF NOT EXISTS ${names.messages} PARTITION OF messages FOR VALUES IN (${segment})`,
    `CREATE TABLE IF NOT EXISTS ${names.entries} PARTITION OF queue_entries FOR VALUES IN (${segment})`,
    `CREATE TABLE IF NOT EXISTS ${names.events} PARTITION OF entry_events FOR VALUES IN (${segment})`,
  ].join('; ');
}

export function dropPartitionsSql(segment: number): string {
  const names = partitionNames(segment);
  return `DROP TABLE IF EXISTS ${names.events}, ${names.entries}, ${names.messages}`;
}
