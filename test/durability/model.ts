/**
 * What must survive, as plainly as it can be said. Each queue holds entries: a
 * message (by id) as that queue holds it, ready or out with a client. The model
 * follows every command; restarts compare it with what Warren recovered.
 *
 * Certainty differs by entry:
 *  - confirmed persistent entries of durable queues must come back, after any restart;
 *  - entries whose confirm had not arrived may or may not come back;
 *  - entries settled (acked, rejected, or got with no-ack) since the last restart
 *    are "ghosts": a crash may bring them back, since acks are logged lazily (a
 *    redelivery, never a loss), while a graceful restart writes them first;
 *  - purged entries and deleted queues never come back: both are durable before
 *    the client hears purge-ok or delete-ok.
 */
export interface QueueSpec {
  durable: boolean;
  maxPriority: number;
}

/** The queues of every sequence, and the fanout exchange bound to some of them. */
export const QUEUES: Record<string, QueueSpec> = {
  d0: { durable: true, maxPriority: 0 },
  d1: { durable: true, maxPriority: 5 },
  d2: { durable: true, maxPriority: 0 },
  t0: { durable: false, maxPriority: 0 },
};
export const QUEUE_NAMES = Object.keys(QUEUES);
export const FANOUT = 'fx';
export const FANOUT_QUEUES = ['d0', 'd2', 't0'];

export interface Holder {
  slot: number;
  deliveryTag: number;
}

export interface Entry {
  id: number;
  queue: string;
  persistent: boolean;
  /** As the queue ranks it: clamped to its x-max-priority. */
  priority: number;
  /** Ever handed out: its next delivery must say redelivered. */
  delivered: boolean;
  confirmed: boolean;
  holder?: Holder;
}

export class Model {
  readonly queues = new Map<string, Entry[]>(QUEUE_NAMES.map((name) => [name, []]));
  ghosts = new Map<string, Entry[]>();
  nextId = 1;
  /** Pending confirms by message id: entries become confirmed when the ack arrives. */
  readonly failures: string[] = [];

  entriesOf(queue: string): Entry[] {
    return this.queues.get(queue)!;
  }

  /** Ready entries in the order the queue hands them out: highest priority, then oldest. */
  ready(queue: string): Entry[] {
    return this.entriesOf(queue).filter((e) => !e.holder).sort(deliveryOrder);
  }

  find(queue: string, id: number): Entry | undefined {
    return this.entriesOf(queue).find((e) => e.id === id);
  }

  heldBy(slot: number): Entry[] {
    return [...this.queues.values()].flat().filter((e) => e.holder?.slot === slot);
  }

  /** An entry leaves its queue by ack, reject or no-ack get: a crash may bring it back. */
  settle(entry: Entry): void {
    this.remove(entry);
    const ghosts = this.ghosts.get(entry.queue) ?? [];
    ghosts.push({ ...entry, holder: undefined });
    this.ghosts.set(entry.queue, ghosts);
  }

  /** An entry leaves for good: purged, or its queue deleted. */
  remove(entry: Entry): void {
    const entries = this.entriesOf(entry.queue);
    entries.splice(entries.indexOf(entry), 1);
  }

  returnToQueue(entry: Entry): void {
    entry.holder = undefined;
  }

  fail(message: string): void {
    this.failures.push(message);
  }
}

export function effectivePriority(queue: string, requested: number): number {
  const max = QUEUES[queue].maxPriority;
  return max === 0 ? 0 : Math.min(requested, max);
}

export function deliveryOrder(a: Entry, b: Entry): number {
  return b.priority - a.priority || a.id - b.id;
}

export interface Recovered {
  id: number;
  priority: number;
  redelivered: boolean;
}

export type StopKind = 'graceful' | 'crash';

/**
 * Compares what a durable queue holds after a restart with the model, and returns the
 * entries the model adopts: those that must be there, and those that may be and are.
 * Returns problems instead when Warren lost, invented, duplicated or misordered something.
 */
export function reconcile(model: Model, queue: string, recovered: Recovered[], kind: StopKind): { adopted: Entry[]; problems: string[] } {
  const problems: string[] = [];
  const expected = new Map(model.entriesOf(queue).filter((e) => e.persistent).map((e) => [e.id, e]));
  const ghosts = new Map((kind === 'crash' ? model.ghosts.get(queue) ?? [] : []).map((e) => [e.id, e]));
  const seen = new Set<number>();
  const adopted: Entry[] = [];
  for (const message of recovered) {
    if (seen.has(message.id)) problems.push(`${queue}: message ${message.id} recovered twice`);
    seen.add(message.id);
    const entry = expected.get(message.id) ?? ghosts.get(message.id);
    if (!entry) {
      problems.push(`${queue}: message ${message.id} recovered but never there to keep`);
      continue;
    }
    const mustSayRedelivered = kind === 'graceful' && entry.delivered;
    if (mustSayRedelivered && !message.redelivered) problems.push(`${queue}: message ${message.id} was delivered before, but came back with redelivered=false`);
    if (!entry.delivered && message.redelivered) problems.push(`${queue}: message ${message.id} was never delivered, but came back with redelivered=true`);
    if (message.priority !== entry.priority) problems.push(`${queue}: message ${message.id} came back with priority ${message.priority}, not ${entry.priority}`);
    adopted.push({ ...entry, holder: undefined, confirmed: true, delivered: message.redelivered });
  }
  for (const entry of expected.values()) {
    if (entry.confirmed && !seen.has(entry.id)) problems.push(`${queue}: confirmed message ${entry.id} was lost`);
  }
  const order = recovered.map((m) => ({ id: m.id, priority: m.priority }));
  for (let i = 1; i < order.length; i++) {
    const [before, after] = [order[i - 1], order[i]];
    const rightOrder = before.priority > after.priority || (before.priority === after.priority && before.id < after.id);
    if (!rightOrder) problems.push(`${queue}: message ${after.id} (priority ${after.priority}) came after ${before.id} (priority ${before.priority})`);
  }
  return { adopted, problems };
}
