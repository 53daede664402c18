/**
 * TopologyStore kept in memory: for tests and for anything that need not survive a
 * restart. It follows the same contract as the PostgreSQL store (see test/contract).
 */
import type { ExchangeRecord, QueueRecord, TopologySnapshot, TopologyStore, VhostRecord } from '../../broker/ports/topology-store';
import { Binding, sameBindingIdentity } from '../../broker/topology/binding';

const key = (vhost: string, name: string) => `${vhost}\u0000${name}`;

/**
 * A deep copy that keeps argument values' types: structuredClone would turn a
 * Buffer into a plain Uint8Array, which then hashes differently as a binding identity.
 */
function clone<T>(value: T): T {
  if (Buffer.isBuffer(value)) return Buffer.from(value) as T;
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value && typeof value === 'object') {
    // fromEntries defines own properties, so a key named __proto__ stays a key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)])) as T;
  }
  return value;
}

/** What the PostgreSQL migration inserts. */
export const DEFAULT_VHOST_RECORD: VhostRecord = { name: '/', description: 'Default virtual host', tags: [], defaultQueueType: 'classic' };

export class MemoryTopologyStore implements TopologyStore {
  /** The default vhost exists from the start, as the PostgreSQL migration creates it. */
  private readonly vhosts = new Map<string, VhostRecord>([['/', DEFAULT_VHOST_RECORD]]);
  private readonly exchanges = new Map<string, ExchangeRecord>();
  private readonly queues = new Map<string, QueueRecord>();
  private bindings: Binding[] = [];

  async load(): Promise<TopologySnapshot> {
    return clone({
      vhosts: [...this.vhosts.values()],
      exchanges: [...this.exchanges.values()],
      queues: [...this.queues.values()],
      bindings: this.bindings,
    });
  }

  async saveVhost(vhost: VhostRecord): Promise<void> {
    this.vhosts.set(vhost.name, clone(vhost));
  }

  async deleteVhost(name: string): Promise<void> {
    this.vhosts.delete(name);
    for (const [k, record] of this.exchanges) if (record.vhost === name) this.exchanges.delete(k);
    for (const [k, record] of this.queues) if (record.vhost === name) this.queues.delete(k);
    this.bindings = this.bindings.filter((b) => b.vhost !== name);
  }

  async saveExchange(exchange: ExchangeRecord): Promise<void> {
    this.exchanges.set(key(exchange.vhost, exchange.name), clone(exchange));
  }

  async deleteExchange(vhost: string, name: string): Promise<void> {
    this.exchanges.delete(key(vhost, name));
    this.bindings = this.bindings.filter(
      (b) => b.vhost !== vhost || (b.source !== name && !(b.destinationKind === 'exchange' && b.destination === name)),
    );
  }

  async saveQueue(queue: QueueRecord): Promise<void> {
    this.queues.set(key(queue.vhost, queue.name), clone(queue));
  }

  async deleteQueue(vhost: string, name: string): Promise<void> {
    this.queues.delete(key(vhost, name));
    this.bindings = this.bindings.filter((b) => b.vhost !== vhost || !(b.destinationKind === 'queue' && b.destination === name));
  }

  async saveBinding(binding: Binding): Promise<void> {
    if (!this.bindings.some((b) => sameBindingIdentity(b, binding))) this.bindings.push(clone(binding));
  }

  async deleteBinding(binding: Binding): Promise<void> {
    this.bindings = this.bindings.filter((b) => !sameBindingIdentity(b, binding));
  }
}
