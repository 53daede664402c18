/**
 * Per-second rates of a set of counters, as RabbitMQ's "basic" rates mode
 * computes them (rabbit_mgmt_stats): the difference between the last two
 * samples divided by the time between them. A meter with a single sample has
 * no rate yet (0). It also remembers when its values last changed, which is
 * RabbitMQ's idle_since, to the precision of the sampling interval.
 */
export class RateMeter<K extends string> {
  private readonly previous: Float64Array;
  private readonly perSecond: Float64Array;
  private sampledAt?: number;
  private changedAt?: number;

  constructor(private readonly names: readonly K[]) {
    this.previous = new Float64Array(names.length);
    this.perSecond = new Float64Array(names.length);
  }

  /** Records the values `read` gives now; `now` in milliseconds. */
  sample(now: number, read: (name: K) => number): void {
    const elapsed = this.sampledAt === undefined ? 0 : now - this.sampledAt;
    let changed = this.sampledAt === undefined;
    for (let i = 0; i < this.names.length; i++) {
      const value = read(this.names[i]);
      if (value !== this.previous[i]) changed = true;
      this.perSecond[i] = elapsed > 0 ? ((value - this.previous[i]) * 1000) / elapsed : 0;
      this.previous[i] = value;
    }
    if (changed) this.changedAt = now;
    this.sampledAt = now;
  }

  rate(name: K): number {
    const index = this.names.indexOf(name);
    return index < 0 ? 0 : this.perSecond[index];
  }

  /** Since when nothing has moved (ms since the epoch), if nothing moved in the last interval; else undefined. */
  get idleSince(): number | undefined {
    return this.changedAt !== undefined && this.changedAt < this.sampledAt! ? this.changedAt : undefined;
  }
}
