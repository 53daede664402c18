/**
 * Publisher confirms for one channel. Each publish after confirm.select gets the
 * next sequence number; when its fate is known it is settled as ack or nack.
 * flush() turns settled numbers into as few basic.ack/nack frames as it can:
 * one `multiple` ack for every run below the oldest still-pending publish.
 */
export interface ConfirmFrame {
  kind: 'ack' | 'nack';
  deliveryTag: number;
  multiple: boolean;
}

export class ConfirmTracker {
  private nextSeq = 1;
  private readonly pending = new Set<number>();
  /** Settled but not yet told to the client, in settle order. */
  private settled: { seq: number; ok: boolean }[] = [];
  /** Highest number the client has been told about with `multiple` coverage. */
  private toldUpTo = 0;

  publish(): number {
    const seq = this.nextSeq++;
    this.pending.add(seq);
    return seq;
  }

  settle(seq: number, ok: boolean): void {
    if (!this.pending.delete(seq)) return;
    this.settled.push({ seq, ok });
  }

  /** Publishes not yet told to the client, pending or settled, ascending. */
  unsent(): number[] {
    return [...this.pending, ...this.settled.map((s) => s.seq)].sort((a, b) => a - b);
  }

  /** Frames to send now, in order. */
  flush(): ConfirmFrame[] {
    if (this.settled.length === 0) return [];
    const oldestPending = this.oldestPending();
    const frames: ConfirmFrame[] = [];
    const settled = this.settled.sort((a, b) => a.seq - b.seq);
    this.settled = [];
    // Below the oldest pending publish, a run of acks collapses into one multiple ack.
    let runEnd = 0;
    for (const { seq, ok } of settled) {
      if (ok && seq < oldestPending) {
        runEnd = seq;
        continue;
      }
      if (runEnd) frames.push(this.cover(runEnd));
      runEnd = 0;
      frames.push({ kind: ok ? 'ack' : 'nack', deliveryTag: seq, multiple: false });
    }
    if (runEnd) frames.push(this.cover(runEnd));
    return frames;
  }

  private cover(upTo: number): ConfirmFrame {
    const multiple = upTo - this.toldUpTo > 1;
    this.toldUpTo = upTo;
    return { kind: 'ack', deliveryTag: upTo, multiple };
  }

  private oldestPending(): number {
    let oldest = this.nextSeq;
    for (const seq of this.pending) {
      if (seq < oldest) oldest = seq;
      break; // Sets iterate in insertion order, and numbers are issued in order.
    }
    return oldest;
  }
}
