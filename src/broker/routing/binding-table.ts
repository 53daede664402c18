/**
 * What every exchange type shares about bindings, kept in one place so the
 * types cannot disagree: when two bindings are the same binding, and which
 * bindings a destination has (so deleting a queue unbinds it without a scan).
 * Each router keeps its own fast structure for route() beside this table.
 */
import type { BindingSpec } from './exchange-type';
import { fieldValuesEqual } from './field-value';

export function sameBinding<D>(a: BindingSpec<D>, b: BindingSpec<D>): boolean {
  return a.destination === b.destination && a.routingKey === b.routingKey
    && fieldValuesEqual(a.arguments, b.arguments);
}

export class BindingTable<D> {
  private readonly byDestination = new Map<D, BindingSpec<D>[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  destinations(): IterableIterator<D> {
    return this.byDestination.keys();
  }

  /** Stores a copy and returns it, or returns undefined when the binding already exists. */
  add(spec: BindingSpec<D>): BindingSpec<D> | undefined {
    const list = this.byDestination.get(spec.destination) ?? [];
    if (list.some((b) => sameBinding(b, spec))) return undefined;
    // A copy, so that a caller mutating its arguments later cannot change our identity rules.
    const stored = { destination: spec.destination, routingKey: spec.routingKey, arguments: { ...spec.arguments } };
    list.push(stored);
    this.byDestination.set(spec.destination, list);
    this.count++;
    return stored;
  }

  /** Returns the stored binding that was removed, or undefined when there was none. */
  remove(spec: BindingSpec<D>): BindingSpec<D> | undefined {
    const list = this.byDestination.get(spec.destination);
    const index = list ? list.findIndex((b) => sameBinding(b, spec)) : -1;
    if (!list || index < 0) return undefined;
    const [removed] = list.splice(index, 1);
    if (list.length === 0) this.byDestination.delete(spec.destination);
    this.count--;
    return removed;
  }

  /** Removes and returns every binding to the destination. */
  removeDestination(destination: D): BindingSpec<D>[] {
    const list = this.byDestination.get(destination) ?? [];
    this.byDestination.delete(destination);
    this.count -= list.length;
    return list;
  }
}

/**
 * The destinations bound under one key (direct) or at one trie node (topic).
 * A destination may hold several bindings there (same key, different
 * arguments), so it stays until the last of them goes. Routing iterates a
 * dense array, which is the hot path; the map only serves bind and unbind.
 */
export class DestinationCounts<D> {
  private readonly list: D[] = [];
  private readonly entries = new Map<D, { count: number; index: number }>();

  get isEmpty(): boolean {
    return this.list.length === 0;
  }

  add(destination: D): void {
    const entry = this.entries.get(destination);
    if (entry) {
      entry.count++;
      return;
    }
    this.entries.set(destination, { count: 1, index: this.list.length });
    this.list.push(destination);
  }

  remove(destination: D): void {
    const entry = this.entries.get(destination);
    if (!entry || --entry.count > 0) return;
    this.entries.delete(destination);
    // Move the last destination into the hole, so removal stays O(1) on a node with thousands.
    const last = this.list.pop() as D;
    if (last !== destination) {
      this.list[entry.index] = last;
      (this.entries.get(last) as { index: number }).index = entry.index;
    }
  }

  addTo(into: Set<D>): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) into.add(list[i]);
  }
}
