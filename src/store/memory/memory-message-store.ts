/**
 * MessageStore in memory, with the same contract as the PostgreSQL one (see
 * test/contract): for tests, and as the reference the contract suite checks.
 * "Restart" is modelled by building a new store over the same `MemoryMessageLog`.
 */
import type { Message } from '../../broker/message/message';
import {
  MessageStore, PersistResult, RecoveredEntry, refKey, StoredEntry, StoredRef,
} from '../../broker/ports/message-store';

interface LoggedEntry extends StoredEntry {
  ref: StoredRef;
  bodySize: number;
  delivered: boolean;
  acked: boolean;
}

/** What survives a restart. */
export class MemoryMessageLog {
  readonly messages = new Map<string, Message>();
  readonly entries: LoggedEntry[] = [];
  readonly queues = new Map<string, { id: number }>();
  nextQueueId = 1;
  nextMessageId = 1;
  segment = 0;
}

export class MemoryMessageStore implements MessageStore {
  private readonly segment: number;

  constructor(private readonly log = new MemoryMessageLog()) {
    this.segment = ++log.segment;
  }

  async queueId(vhost: string, name: string): Promise<number> {
    const key = `${vhost}\u0000${name}`;
    const known = this.log.queues.get(key);
    if (known) return known.id;
    const id = this.log.nextQueueId++;
    this.log.queues.set(key, { id });
    return id;
  }

  async forgetQueue(queueId: number): Promise<void> {
    for (const [key, queue] of this.log.queues) if (queue.id === queueId) this.log.queues.delete(key);
  }

  async purgeQueue(queueId: number, refs: StoredRef[]): Promise<void> {
    for (const ref of refs) this.acked(queueId, ref);
  }

  persist(message: Message, entries: StoredEntry[]): PersistResult {
    const ref = { segment: this.segment, messageId: this.log.nextMessageId++ };
    this.log.messages.set(refKey(ref), { ...message, properties: structuredClone(message.properties) });
    for (const entry of entries) this.log.entries.push({ ...entry, ref, bodySize: message.body.length, delivered: false, acked: false });
    return { ref, committed: Promise.resolve() };
  }

  delivered(queueId: number, ref: StoredRef): void {
    const entry = this.find(queueId, ref);
    if (entry) entry.delivered = true;
  }

  acked(queueId: number, ref: StoredRef): void {
    const entry = this.find(queueId, ref);
    if (entry) entry.acked = true;
  }

  async recover(onEntries: (queueId: number, entries: RecoveredEntry[]) => void): Promise<void> {
    const live = new Map<number, RecoveredEntry[]>();
    for (const queue of this.log.queues.values()) live.set(queue.id, []);
    for (const entry of this.log.entries) {
      if (entry.acked || !live.has(entry.queueId)) continue;
      live.get(entry.queueId)!.push({ ref: entry.ref, seq: entry.seq, priority: entry.priority, bodySize: entry.bodySize, delivered: entry.delivered });
    }
    for (const [queueId, entries] of live) if (entries.length > 0) onEntries(queueId, entries);
  }

  async load(refs: StoredRef[]): Promise<Map<string, Message>> {
    const loaded = new Map<string, Message>();
    for (const ref of refs) {
      const message = this.log.messages.get(refKey(ref));
      if (message) loaded.set(refKey(ref), { ...message, properties: structuredClone(message.properties) });
    }
    return loaded;
  }

  async flush(): Promise<void> {}

  private find(queueId: number, ref: StoredRef): LoggedEntry | undefined {
    return this.log.entries.find((e) => e.queueId === queueId && e.ref.segment === ref.segment && e.ref.messageId === ref.messageId);
  }
}
