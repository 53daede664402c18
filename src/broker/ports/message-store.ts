/**
 * Where persistent messages of durable queues live: PostgreSQL in production,
 * memory in tests. The queue dispatches from memory; the store is the log it
 * recovers from. Publishes are group-committed (a publisher is confirmed only
 * once `committed` resolves); deliveries and acks are recorded in batches whose
 * loss in a crash only means a redelivery.
 */
import type { Message, MessageProperties } from '../message/message';

/** Where a stored message lives: its segment (the unit of space reclamation) and id. */
export interface StoredRef {
  segment: number;
  messageId: number;
}

export interface StoredEntry {
  queueId: number;
  /** The queue's arrival order, kept across restarts for FIFO and requeue-in-place. */
  seq: number;
  priority: number;
}

export interface PersistResult {
  ref: StoredRef;
  /** Resolves when the message and its queue entries are committed; rejects if they could not be. */
  committed: Promise<void>;
}

/** A live entry found at recovery: enough to order it; the body is loaded when it is needed. */
export interface RecoveredEntry {
  ref: StoredRef;
  seq: number;
  priority: number;
  bodySize: number;
  /** It had been delivered (and not acked) before the restart: it comes back redelivered. */
  delivered: boolean;
}

export interface MessageStore {
  /** A durable queue's id in the store, allocated on first use; stable across restarts. */
  queueId(vhost: string, name: string): Promise<number>;
  /** The queue was deleted: its entries are dead. */
  forgetQueue(queueId: number): Promise<void>;
  /**
   * The queue was purged: exactly these entries (its ready messages at that moment) are
   * dead. Messages out with consumers are not among them and stay live. Resolves once
   * the purge is durable, so a crash after purge-ok cannot bring the messages back.
   */
  purgeQueue(queueId: number, refs: StoredRef[]): Promise<void>;
  persist(message: Message, entries: StoredEntry[]): PersistResult;
  delivered(queueId: number, ref: StoredRef): void;
  acked(queueId: number, ref: StoredRef): void;
  /**
   * Live entries of every durable queue, by queue id, in no particular order; called
   * once at start. Entries are handed over segment by segment to bound memory.
   */
  recover(onEntries: (queueId: number, entries: RecoveredEntry[]) => void): Promise<void>;
  /** Bodies and properties for entries recovered or paged out. */
  load(refs: StoredRef[]): Promise<Map<string, Message>>;
  /** Writes everything pending; called on shutdown. */
  flush(): Promise<void>;
}

export const refKey = (ref: StoredRef): string => `${ref.segment}:${ref.messageId}`;

/** Turning properties into bytes and back, for messages that did not arrive over AMQP with their own. */
export interface PropertiesCodec {
  encode(properties: MessageProperties): Buffer;
  decode(encoded: Buffer): MessageProperties;
}

export const MESSAGE_STORE = 'MessageStore';
export const PROPERTIES_CODEC = 'PropertiesCodec';

/** Whether the store currently takes writes; publishers of persistent messages wait while it does not. */
export interface MessageStoreStatus {
  readonly available: boolean;
  onChange(listener: (available: boolean) => void): () => void;
}

export const MESSAGE_STORE_STATUS = 'MessageStoreStatus';
