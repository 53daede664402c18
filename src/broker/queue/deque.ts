/**
 * A growable ring buffer: O(1) push and shift at both ends, which a plain array's
 * shift() is not. Also inserts in order by a key, for requeueing a message to its
 * original place (the common case, the oldest message, lands at the front in O(1)).
 */
export class Deque<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity = 16) {
    // At least one slot: growth doubles, and the index arithmetic divides by the size.
    this.items = new Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
  }

  unshift(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1 + this.items.length) % this.items.length;
    this.items[this.head] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  at(index: number): T | undefined {
    return index < 0 || index >= this.count ? undefined : this.items[(this.head + index) % this.items.length];
  }

  /** Inserts keeping ascending order of key(item); assumes the deque is already ordered. */
  insertOrdered(item: T, key: (item: T) => number): void {
    const k = key(item);
    if (this.count === 0 || k <= key(this.peek()!)) return this.unshift(item);
    if (k >= key(this.at(this.count - 1)!)) return this.push(item);
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (key(this.at(mid)!) < k) low = mid + 1;
      else high = mid;
    }
    this.push(item);
    for (let i = this.count - 1; i > low; i--) this.set(i, this.at(i - 1)!);
    this.set(low, item);
  }

  clear(): void {
    this.items = new Array(16);
    this.head = 0;
    this.count = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.at(i)!;
  }

  private set(index: number, item: T): void {
    this.items[(this.head + index) % this.items.length] = item;
  }

  private grow(): void {
    const next = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.at(i);
    this.items = next;
    this.head = 0;
  }
}
