/**
 * Joins durable queues to the message store: each gets its store id and paging
 * budget when it is declared or loaded, and at start the store's live entries
 * are handed back to their queues. Entries of queues that no longer exist (a
 * crash between deleting a queue and telling the store) are forgotten.
 */
import type { MessageStore } from '../ports/message-store';
import type { Queue } from '../queue/queue';
import { QueueStorage } from '../queue/queue-storage';

export interface DurableMessages {
  store: MessageStore;
  /** Persistent bodies each durable queue keeps in memory before paging them out. */
  pageOutBytes: number;
}

export async function attachStorage(queue: Queue, messages: DurableMessages): Promise<number> {
  const queueId = await messages.store.queueId(queue.vhost, queue.name);
  queue.attachStorage(new QueueStorage(messages.store, queueId, messages.pageOutBytes));
  return queueId;
}

export async function recoverMessages(queues: Queue[], messages: DurableMessages): Promise<void> {
  const byId = new Map<number, Queue>();
  for (const queue of queues) byId.set(await attachStorage(queue, messages), queue);
  const orphans = new Set<number>();
  await messages.store.recover((queueId, entries) => {
    const queue = byId.get(queueId);
    if (queue) queue.restore(entries);
    else orphans.add(queueId);
  });
  for (const queueId of orphans) await messages.store.forgetQueue(queueId);
}
