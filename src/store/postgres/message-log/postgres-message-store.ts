/**
 * MessageStore on PostgreSQL: insert-only, segment-partitioned tables written by
 * a group-committing publish writer and a batched event writer on dedicated
 * connections of the DataSource's pool. See migrations/*-CreateMessageLog.ts.
 */
import type { Pool } from 'pg';
import type { Message } from '../../../broker/message/message';
import {
  MessageStore, PersistResult, PropertiesCodec, RecoveredEntry, refKey, StoredEntry, StoredRef,
} from '../../../broker/ports/message-store';
import { DedicatedConnection } from './dedicated-connection';
import { EventWriter } from './event-writer';
import { PublishWriter, WriterHealth } from './publish-writer';
import { SEGMENT_MESSAGES, SegmentRegistry } from './segments';
import { integerArray, OID } from './binary-arrays';

/** Purged entries marked dead per statement. */
const PURGE_CHUNK = 10_000;

const markDeadSql =
  `INSERT INTO entry_events (segment, queue_id, message_id, kind)
   SELECT segment, $1, message_id, 'a' FROM unnest($2::int[], $3::bigint[]) AS dead (segment, message_id)`;

function markDeadParams(queueId: number, refs: StoredRef[]): unknown[] {
  return [queueId, integerArray(OID.int4, refs.map((ref) => ref.segment)), integerArray(OID.int8, refs.map((ref) => ref.messageId))];
}

export interface StoreAvailability extends WriterHealth {
  readonly available: boolean;
}

export class PostgresMessageStore implements MessageStore {
  private segments!: SegmentRegistry;
  private publishes!: PublishWriter;
  private events!: EventWriter;
  private publishConnection!: DedicatedConnection;
  private eventConnection!: DedicatedConnection;
  private nextMessageId = 1;
  private readonly lastIdBySegment = new Map<number, number>();
  private readonly queueIds = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly codec: PropertiesCodec,
    private readonly health: StoreAvailability,
    private readonly messagesPerSegment = SEGMENT_MESSAGES,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Reads where the log stands; a new run always writes into a new segment. */
  async open(): Promise<void> {
    const [{ max_id, max_segment }] = (await this.pool.query(
      `SELECT coalesce(max(id), 0) AS max_id, coalesce(max(segment), 0) AS max_segment FROM messages`,
    )).rows;
    this.nextMessageId = Number(max_id) + 1;
    this.segments = new SegmentRegistry(Number(max_segment) + 1, this.messagesPerSegment);
    for (const segment of await this.existingSegments()) this.segments.created.add(segment);
    this.publishConnection = new DedicatedConnection(this.pool);
    this.eventConnection = new DedicatedConnection(this.pool, 'SET synchronous_commit = off');
    this.publishes = new PublishWriter(this.publishConnection, this.segments, this.health, (publish, error) => this.log(
      `refused a persistent message (exchange ${JSON.stringify(publish.exchange)}, routing key ${JSON.stringify(publish.routingKey)}, ` +
      `${publish.body.length} body bytes): ${error.message}; its publisher gets basic.nack`,
    ), this.nextMessageId - 1);
    this.events = new EventWriter(
      this.eventConnection,
      this.segments, () => this.publishes.resolvedWatermark, (segment) => this.lastIdBySegment.get(segment) ?? 0, this.health,
    );
  }

  async queueId(vhost: string, name: string): Promise<number> {
    const key = `${vhost}\u0000${name}`;
    const known = this.queueIds.get(key);
    if (known !== undefined) return known;
    const { rows } = await this.pool.query(
      `INSERT INTO store_queues (vhost, name) VALUES ($1, $2)
       ON CONFLICT (vhost, name) DO UPDATE SET vhost = EXCLUDED.vhost RETURNING id`, [vhost, Buffer.from(name, 'utf8')],
    );
    const id = Number(rows[0].id);
    this.queueIds.set(key, id);
    return id;
  }

  async forgetQueue(queueId: number): Promise<void> {
    await this.pool.query(`DELETE FROM store_queues WHERE id = $1`, [queueId]);
    for (const [key, id] of this.queueIds) if (id === queueId) this.queueIds.delete(key);
    this.segments.forgetQueue(queueId);
    this.events.schedule();
  }

  /**
   * The purged entries are marked dead with a synchronous commit before purge-ok, once
   * their publishes are resolved. Their segments stay counted live until then, so none
   * can be dropped under the insert.
   */
  async purgeQueue(queueId: number, refs: StoredRef[]): Promise<void> {
    if (refs.length === 0) return;
    let newest = 0;
    for (const ref of refs) newest = Math.max(newest, ref.messageId);
    await this.publishes.resolvedThrough(newest);
    const written = refs.filter((ref) => this.segments.created.has(ref.segment));
    for (let start = 0; start < written.length; start += PURGE_CHUNK) {
      await this.pool.query(markDeadSql, markDeadParams(queueId, written.slice(start, start + PURGE_CHUNK)));
    }
    for (const ref of refs) this.segments.removeLive(ref.segment, queueId);
    this.events.schedule();
  }

  persist(message: Message, entries: StoredEntry[]): PersistResult {
    const segment = this.segments.assign();
    const messageId = this.nextMessageId++;
    this.lastIdBySegment.set(segment, messageId);
    for (const entry of entries) this.segments.addLive(segment, entry.queueId);
    const committed = new Promise<void>((resolve, reject) => {
      this.publishes.write({
        segment, messageId, exchange: message.exchange, routingKey: message.routingKey,
        properties: message.encodedProperties ?? this.codec.encode(message.properties), body: message.body, entries,
        done: (error) => {
          if (!error) return resolve();
          // Never written: its entries hold nothing live.
          for (const entry of entries) this.segments.removeLive(segment, entry.queueId);
          reject(error);
        },
      });
    });
    return { ref: { segment, messageId }, committed };
  }

  delivered(queueId: number, ref: StoredRef): void {
    this.events.record(queueId, ref, 'd');
  }

  acked(queueId: number, ref: StoredRef): void {
    this.segments.removeLive(ref.segment, queueId);
    this.events.record(queueId, ref, 'a');
  }

  async recover(onEntries: (queueId: number, entries: RecoveredEntry[]) => void): Promise<void> {
    for (const segment of [...this.segments.created].sort((a, b) => a - b)) {
      const { rows } = await this.pool.query(
        // Events are aggregated once and hash-joined: a correlated lookup per entry would be quadratic.
        `SELECT e.queue_id, e.message_id, e.seq, e.priority, e.body_size, coalesce(ev.delivered, false) AS delivered
           FROM queue_entries e
           JOIN store_queues q ON q.id = e.queue_id
           LEFT JOIN (SELECT queue_id, message_id, bool_or(kind = 'd') AS delivered, bool_or(kind = 'a') AS acked
                        FROM entry_events WHERE segment = $1 GROUP BY queue_id, message_id) ev
             ON ev.queue_id = e.queue_id AND ev.message_id = e.message_id
          WHERE e.segment = $1 AND ev.acked IS NOT TRUE`,
        [segment],
      );
      const byQueue = new Map<number, RecoveredEntry[]>();
      for (const row of rows) {
        const queueId = Number(row.queue_id);
        const list = byQueue.get(queueId) ?? [];
        list.push({
          ref: { segment, messageId: Number(row.message_id) }, seq: Number(row.seq), priority: row.priority,
          bodySize: row.body_size, delivered: row.delivered,
        });
        byQueue.set(queueId, list);
        this.segments.addLive(segment, queueId);
      }
      for (const [queueId, entries] of byQueue) onEntries(queueId, entries);
    }
    // Segments with nothing live left (everything acked before the restart) go now.
    this.events.schedule();
  }

  async load(refs: StoredRef[]): Promise<Map<string, Message>> {
    const bySegment = new Map<number, number[]>();
    for (const ref of refs) bySegment.set(ref.segment, [...(bySegment.get(ref.segment) ?? []), ref.messageId]);
    const loaded = new Map<string, Message>();
    for (const [segment, ids] of bySegment) {
      const { rows } = await this.pool.query(
        `SELECT id, exchange, routing_key, properties, body FROM messages WHERE segment = $1 AND id = ANY($2::bigint[])`,
        [segment, ids],
      );
      for (const row of rows) {
        loaded.set(refKey({ segment, messageId: Number(row.id) }), {
          exchange: row.exchange.toString('utf8'), routingKey: row.routing_key.toString('utf8'), body: row.body,
          properties: this.codec.decode(row.properties), encodedProperties: row.properties,
        });
      }
    }
    return loaded;
  }

  async flush(): Promise<void> {
    await this.publishes.drained();
    await this.events.flush();
  }

  /**
   * Stops the writers and gives their connections back to the pool (call flush first).
   * Returns how many publishes were not written: their publishers were never confirmed.
   */
  close(): number {
    const unwritten = this.publishes.pendingCount;
    this.publishes.stop();
    this.events.stop();
    this.publishConnection.release();
    this.eventConnection.release();
    return unwritten;
  }

  private async existingSegments(): Promise<number[]> {
    const { rows } = await this.pool.query(
      `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'messages'`,
    );
    return rows.map((row) => Number(String(row.relname).replace('messages_s', ''))).filter(Number.isInteger);
  }
}
