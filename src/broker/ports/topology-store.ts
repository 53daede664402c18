/**
 * Where durable topology lives between restarts. The topology service writes
 * through it before a durable change takes effect, and reads it once at start.
 * Implementations: store/postgres (TypeORM) and store/memory (tests, transient runs).
 */
import type { Binding } from '../topology/binding';
import type { ExchangeSettings } from '../topology/exchange';
import type { QueueSettings } from '../queue/queue';
import type { VhostSettings } from '../topology/vhost';

export interface ExchangeRecord extends ExchangeSettings {
  vhost: string;
  name: string;
}

export interface QueueRecord extends QueueSettings {
  vhost: string;
  name: string;
}

export interface VhostRecord extends VhostSettings {
  name: string;
}

export interface TopologySnapshot {
  vhosts: VhostRecord[];
  exchanges: ExchangeRecord[];
  queues: QueueRecord[];
  bindings: Binding[];
}

export interface TopologyStore {
  load(): Promise<TopologySnapshot>;
  /** Creates the vhost or replaces its settings. */
  saveVhost(vhost: VhostRecord): Promise<void>;
  /** Also removes its exchanges, queues and bindings. */
  deleteVhost(name: string): Promise<void>;
  saveExchange(exchange: ExchangeRecord): Promise<void>;
  /** Also removes the bindings whose source or destination it is. */
  deleteExchange(vhost: string, name: string): Promise<void>;
  saveQueue(queue: QueueRecord): Promise<void>;
  /** Also removes the bindings whose destination it is. */
  deleteQueue(vhost: string, name: string): Promise<void>;
  saveBinding(binding: Binding): Promise<void>;
  deleteBinding(binding: Binding): Promise<void>;
}

/** Injection token for the configured implementation (the edges' wiring uses it). */
export const TOPOLOGY_STORE = 'TopologyStore';
