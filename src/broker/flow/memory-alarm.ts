/**
 * RabbitMQ-style memory alarm for message bodies held by queues (ready or out
 * with a consumer and unacked). Past the limit the alarm goes off and the AMQP
 * edge stops reading from publishers; it clears once usage falls below 90% of
 * the limit, so publishers do not flap on and off at the boundary.
 */
export type AlarmListener = (raised: boolean) => void;

const CLEAR_RATIO = 0.9;

export class MemoryAlarm {
  private used = 0;
  private raised = false;
  private readonly listeners = new Set<AlarmListener>();

  constructor(readonly limitBytes: number) {}

  get bytesHeld(): number {
    return this.used;
  }

  get isRaised(): boolean {
    return this.raised;
  }

  /** Called by queues as bodies come and go; delta may be negative. */
  adjust(delta: number): void {
    this.used += delta;
    if (!this.raised && this.used > this.limitBytes) this.set(true);
    else if (this.raised && this.used < this.limitBytes * CLEAR_RATIO) this.set(false);
  }

  onChange(listener: AlarmListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(raised: boolean): void {
    this.raised = raised;
    for (const listener of this.listeners) listener(raised);
  }
}
