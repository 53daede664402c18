/**
 * The messages a channel has delivered (or handed out by basic.get) that wait
 * for ack, nack or reject, by delivery tag. Tags grow, and a Map keeps insertion
 * order, so `multiple` settles walk from the oldest without sorting.
 */
import type { Queue } from '../../broker/queue/queue';
import type { QueuedMessage } from '../../broker/queue/queued-message';
import { protocolError } from './protocol-error';

export interface Unacked {
  deliveryTag: number;
  queue: Queue;
  message: QueuedMessage;
  /** The consumer it went to, for per-consumer prefetch; undefined for basic.get. */
  consumerTag?: string;
}

export class UnackedDeliveries {
  private readonly byTag = new Map<number, Unacked>();
  private lastTag = 0;

  get size(): number {
    return this.byTag.size;
  }

  nextTag(): number {
    return ++this.lastTag;
  }

  add(entry: Unacked): void {
    this.byTag.set(entry.deliveryTag, entry);
  }

  /**
   * Removes and returns what an ack/nack/reject names: one tag, or with `multiple`
   * every tag up to it (0 meaning all). An unknown tag is a channel error (406).
   */
  take(deliveryTag: number, multiple: boolean): Unacked[] {
    if (!multiple) {
      const entry = this.byTag.get(deliveryTag);
      if (!entry) throw unknownTag(deliveryTag);
      this.byTag.delete(deliveryTag);
      return [entry];
    }
    if (deliveryTag > this.lastTag) throw unknownTag(deliveryTag);
    const taken: Unacked[] = [];
    for (const [tag, entry] of this.byTag) {
      if (deliveryTag !== 0 && tag > deliveryTag) break;
      taken.push(entry);
      this.byTag.delete(tag);
    }
    if (taken.length === 0 && deliveryTag !== 0) throw unknownTag(deliveryTag);
    return taken;
  }

  /** Puts entries back (a rolled-back transaction's acks), keeping tag order for `multiple`. */
  restore(entries: Unacked[]): void {
    const merged = [...this.byTag.values(), ...entries].sort((a, b) => a.deliveryTag - b.deliveryTag);
    this.byTag.clear();
    for (const entry of merged) this.byTag.set(entry.deliveryTag, entry);
  }

  takeAll(): Unacked[] {
    const all = [...this.byTag.values()];
    this.byTag.clear();
    return all;
  }
}

function unknownTag(tag: number) {
  return protocolError('PRECONDITION_FAILED', `unknown delivery tag ${tag}`);
}
