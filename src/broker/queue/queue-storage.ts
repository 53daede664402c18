/**
 * The link between a durable queue and the message store: the queue's id there,
 * the budget of persistent bodies it keeps in memory before paging them out, and
 * loading paged-out bodies back in pages, ahead of delivery.
 */
import { MessageStore, refKey, StoredRef } from '../ports/message-store';
import type { QueuedMessage } from './queued-message';

/** Bodies fetched per round trip when the head of the queue is paged out. */
export const LOAD_PAGE_MESSAGES = 512;
export const LOAD_PAGE_BYTES = 8 * 1024 * 1024;
const RETRY_LOAD_MS = 500;

export class QueueStorage {
  private loading?: Promise<void>;

  constructor(
    readonly store: MessageStore,
    readonly queueId: number,
    /** Persistent bodies a queue keeps in memory; past this, committed ones are paged out. */
    readonly pageOutBytes: number,
  ) {}

  delivered(queued: QueuedMessage): void {
    if (queued.stored) this.store.delivered(this.queueId, queued.stored);
  }

  acked(queued: QueuedMessage): void {
    if (queued.stored) this.store.acked(this.queueId, queued.stored);
  }

  purge(refs: StoredRef[]): Promise<void> {
    return this.store.purgeQueue(this.queueId, refs);
  }

  /**
   * Loads the bodies of `stubs` (paged-out messages in delivery order); `filled`
   * is called for each one that came back. One load at a time; a failure retries.
   */
  load(stubs: QueuedMessage[], filled: (queued: QueuedMessage) => void): Promise<void> {
    if (this.loading) return this.loading;
    const attempt = async (): Promise<void> => {
      for (;;) {
        try {
          const loaded = await this.store.load(stubs.map((stub) => stub.stored!));
          for (const stub of stubs) {
            const message = loaded.get(refKey(stub.stored!));
            if (message && stub.message === undefined) {
              stub.message = message;
              filled(stub);
            }
          }
          return;
        } catch {
          await new Promise((done) => setTimeout(done, RETRY_LOAD_MS));
        }
      }
    };
    this.loading = attempt().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }
}
