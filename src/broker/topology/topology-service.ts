/**
 * THE path through which topology changes: every declare, delete, bind and unbind,
 * whether it comes from AMQP or REST. Changes are serialised; a durable change is
 * written to the TopologyStore first and applied in memory only once it is stored,
 * so memory never shows what a restart would lose. Routing reads memory synchronously.
 */
import { accessRefused, notFound, preconditionFailed, resourceLocked } from '../errors';
import type { MemoryAlarm } from '../flow/memory-alarm';
import { attachStorage, DurableMessages, recoverMessages } from './durable-messages';
import type { TopologyStore } from '../ports/topology-store';
import { Queue } from '../queue/queue';
import { isExchangeType } from '../routing';
import { assertEquivalent, validateExchangeArguments, validateQueueArguments } from './arguments';
import { Binding, sameBindingIdentity } from './binding';
import {
  ExchangeDeclaration, exchangeSettings, exchangeView, generatedQueueName, QueueDeclaration, queueSettings, queueView,
} from './declarations';
import { Exchange } from './exchange';
import { assertNotDefaultExchange, assertValidName } from './names';
import { isStandardExchange, VhostSettings, VirtualHost } from './vhost';

export type { ExchangeDeclaration, QueueDeclaration } from './declarations';

/**
 * Called inside a declaration, once the name is known and whether it is new:
 * the edge's permission checks run at the point RabbitMQ runs them. Throws to refuse.
 */
export type DeclareAuthorizer = (name: string, isNew: boolean) => void;

/** Asked before a queue is created in a vhost that holds `queues` already (vhost limits). Throws to refuse. */
export type QueueAdmission = (vhost: string, queue: string, queues: number) => void;

export interface DeclaredQueue {
  queue: Queue;
  messageCount: number;
  consumerCount: number;
}

export const DEFAULT_VHOST = '/';

export class TopologyService {
  private readonly vhostMap = new Map<string, VirtualHost>();
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: TopologyStore,
    private readonly memory?: MemoryAlarm,
    /** Without it, every message lives in memory only (tests, transient brokers). */
    private readonly messages?: DurableMessages,
    private readonly admitQueue?: QueueAdmission,
  ) {}

  /** Loads durable topology: the vhosts the store holds (a new store holds `/`), and what is in them. */
  async start(): Promise<void> {
    const snapshot = await this.store.load();
    for (const { name, ...settings } of snapshot.vhosts) this.vhostMap.set(name, new VirtualHost(name, settings));
    for (const record of snapshot.exchanges) {
      const vhost = this.vhostMap.get(record.vhost);
      if (vhost && !isStandardExchange(record.name)) vhost.exchanges.set(record.name, new Exchange(record.vhost, record.name, exchangeSettings(record)));
    }
    for (const record of snapshot.queues) {
      const vhost = this.vhostMap.get(record.vhost);
      if (vhost) vhost.queues.set(record.name, this.newQueue(vhost, record.name, queueSettings(record), undefined));
    }
    for (const binding of snapshot.bindings) {
      const vhost = this.vhostMap.get(binding.vhost);
      if (vhost) this.applyBind(vhost, binding);
    }
    if (this.messages) {
      const durable = this.vhosts().flatMap((vhost) => [...vhost.queues.values()]).filter(isPersisted);
      await recoverMessages(durable, this.messages);
    }
  }

  // ---- lookups -------------------------------------------------------------

  vhosts(): VirtualHost[] {
    return [...this.vhostMap.values()];
  }

  hasVhost(name: string): boolean {
    return this.vhostMap.has(name);
  }

  vhost(name: string): VirtualHost {
    const vhost = this.vhostMap.get(name);
    if (!vhost) throw notFound(`no vhost '${name}'`);
    return vhost;
  }

  exchange(vhostName: string, name: string): Exchange {
    const exchange = this.vhost(vhostName).exchanges.get(name);
    if (!exchange) throw notFound(`no exchange '${name}' in vhost '${vhostName}'`);
    return exchange;
  }

  queue(vhostName: string, name: string, owner?: string): Queue {
    const queue = this.vhost(vhostName).queues.get(name);
    if (!queue) throw notFound(`no queue '${name}' in vhost '${vhostName}'`);
    assertAccessible(queue, owner);
    return queue;
  }

  // ---- vhosts --------------------------------------------------------------

  /** Creates the vhost, or replaces the settings of the one there is. */
  putVhost(name: string, settings: VhostSettings): Promise<'created' | 'updated'> {
    return this.serialised(async () => {
      assertValidName('vhost', name);
      const existing = this.vhostMap.get(name);
      await this.store.saveVhost({ name, ...settings, tags: [...settings.tags] });
      if (existing) existing.settings = { ...settings, tags: [...settings.tags] };
      else this.vhostMap.set(name, new VirtualHost(name, settings));
      return existing ? 'updated' : 'created';
    });
  }

  /** Deletes the vhost with its queues (and their stored messages), exchanges and bindings. */
  deleteVhost(name: string): Promise<void> {
    return this.serialised(async () => {
      const vhost = this.vhost(name);
      // The store's rows go first: a crash after this leaves stored messages whose queue
      // is gone, which the next start forgets (see durable-messages.ts).
      await this.store.deleteVhost(name);
      this.vhostMap.delete(name);
      for (const queue of vhost.queues.values()) {
        if (queue.storageId !== undefined) await this.messages!.store.forgetQueue(queue.storageId);
        queue.markDeleted();
      }
      vhost.queues.clear();
      vhost.exchanges.clear();
      vhost.bindings.length = 0;
    });
  }

  // ---- exchanges -----------------------------------------------------------

  /** `authorize` runs for a non-passive declaration once it is known whether the exchange is new. */
  declareExchange(vhostName: string, name: string, declaration: ExchangeDeclaration, passive = false, authorize?: DeclareAuthorizer): Promise<Exchange> {
    return this.serialised(async () => {
      const vhost = this.vhost(vhostName);
      const existing = vhost.exchanges.get(name);
      if (passive) {
        if (!existing) throw notFound(`no exchange '${name}' in vhost '${vhostName}'`);
        return existing;
      }
      assertNotDefaultExchange(name);
      if (!isExchangeType(declaration.type)) throw preconditionFailed(`invalid exchange type '${declaration.type}'`);
      authorize?.(name, !existing);
      const settings = exchangeSettings({ ...declaration, type: declaration.type });
      if (existing) {
        assertEquivalent('exchange', `'${name}' in vhost '${vhostName}'`, exchangeView(existing.settings), exchangeView(settings));
        return existing;
      }
      if (name.startsWith('amq.')) throw accessRefused(`exchange name '${name}' contains reserved prefix 'amq.*'`);
      assertValidName('exchange', name);
      validateExchangeArguments(vhostName, name, settings.arguments);
      const exchange = new Exchange(vhostName, name, settings);
      if (exchange.durable) await this.store.saveExchange({ vhost: vhostName, name, ...settings });
      vhost.exchanges.set(name, exchange);
      return exchange;
    });
  }

  /** `authorize` runs after the checks on the name, before the exchange is looked up (as RabbitMQ's order). */
  deleteExchange(vhostName: string, name: string, options: { ifUnused?: boolean; authorize?: () => void } = {}): Promise<void> {
    return this.serialised(async () => {
      const vhost = this.vhost(vhostName);
      assertNotDefaultExchange(name);
      if (name.startsWith('amq.')) throw accessRefused(`deletion of system exchange '${name}' in vhost '${vhostName}' not allowed`);
      options.authorize?.();
      const exchange = this.exchange(vhostName, name);
      // As in RabbitMQ, only bindings from the exchange count: being a destination is not "use".
      if (options.ifUnused && exchange.router.bindingCount > 0) throw preconditionFailed(`exchange '${name}' in vhost '${vhostName}' in use`);
      await this.removeExchange(vhost, exchange);
    });
  }

  // ---- queues --------------------------------------------------------------

  /**
   * `name` '' asks for a server-named queue (amq.gen-…). `owner` is the declaring connection.
   * `authorize` runs for a non-passive declaration with the actual name, before anything is compared.
   */
  declareQueue(
    vhostName: string,
    name: string,
    declaration: QueueDeclaration,
    options: { passive?: boolean; owner?: string; authorize?: DeclareAuthorizer } = {},
  ): Promise<DeclaredQueue> {
    return this.serialised(async () => {
      const vhost = this.vhost(vhostName);
      const existing = name === '' ? undefined : vhost.queues.get(name);
      if (options.passive && !existing) throw notFound(`no queue '${name}' in vhost '${vhostName}'`);
      const queueName = name === '' ? generatedQueueName() : name;
      if (!options.passive) options.authorize?.(queueName, !existing);
      if (existing) {
        assertAccessible(existing, options.owner);
        if (!options.passive) {
          if (declaration.exclusive && !existing.owner) throw lockedError(existing);
          assertEquivalent('queue', `'${name}' in vhost '${vhostName}'`, queueView(existing.settings), queueView(declaration));
        }
        return declared(existing);
      }
      if (queueName.startsWith('amq.') && name !== '') throw accessRefused(`queue name '${name}' contains reserved prefix 'amq.*'`);
      assertValidName('queue', queueName);
      this.admitQueue?.(vhostName, queueName, vhost.queues.size);
      validateQueueArguments(vhostName, queueName, declaration.arguments);
      const owner = declaration.exclusive ? options.owner : undefined;
      const settings = queueSettings(declaration);
      const queue = this.newQueue(vhost, queueName, settings, owner);
      if (isPersisted(queue)) {
        await this.store.saveQueue({ vhost: vhostName, name: queueName, ...settings });
        if (this.messages) await attachStorage(queue, this.messages);
      }
      vhost.queues.set(queueName, queue);
      return declared(queue);
    });
  }

  /** Returns how many ready messages the queue held. */
  deleteQueue(vhostName: string, name: string, options: { ifUnused?: boolean; ifEmpty?: boolean; owner?: string } = {}): Promise<number> {
    return this.serialised(async () => {
      const queue = this.queue(vhostName, name, options.owner);
      const where = `queue '${name}' in vhost '${vhostName}'`;
      if (options.ifUnused && queue.consumerCount > 0) throw preconditionFailed(`${where} in use`);
      if (options.ifEmpty && queue.messageCount > 0) throw preconditionFailed(`${where} not empty`);
      return this.removeQueue(this.vhost(vhostName), queue);
    });
  }

  async purgeQueue(vhostName: string, name: string, owner?: string): Promise<number> {
    return this.queue(vhostName, name, owner).purge();
  }

  /** A connection closed: its exclusive queues go with it. */
  deleteExclusiveQueuesOf(owner: string): Promise<void> {
    return this.serialised(async () => {
      for (const vhost of this.vhostMap.values()) {
        for (const queue of [...vhost.queues.values()]) if (queue.owner === owner) await this.removeQueue(vhost, queue);
      }
    });
  }

  // ---- bindings ------------------------------------------------------------

  bind(binding: Binding, owner?: string): Promise<void> {
    return this.serialised(async () => {
      const vhost = this.vhost(binding.vhost);
      const { source } = this.checkBindingEnds(vhost, binding, owner);
      source.router.validateBinding({ destination: this.destinationOf(vhost, binding), routingKey: binding.routingKey, arguments: binding.arguments });
      if (vhost.bindings.some((b) => sameBindingIdentity(b, binding))) return;
      if (this.isDurableBinding(vhost, binding)) await this.store.saveBinding(binding);
      this.applyBind(vhost, binding);
    });
  }

  unbind(binding: Binding, owner?: string): Promise<void> {
    return this.serialised(async () => {
      const vhost = this.vhost(binding.vhost);
      this.checkBindingEnds(vhost, binding, owner);
      const index = vhost.bindings.findIndex((b) => sameBindingIdentity(b, binding));
      if (index < 0) return;
      const stored = vhost.bindings[index];
      if (this.isDurableBinding(vhost, stored)) await this.store.deleteBinding(stored);
      vhost.bindings.splice(index, 1);
      const source = vhost.exchanges.get(stored.source)!;
      source.router.unbind({ destination: this.destinationOf(vhost, stored), routingKey: stored.routingKey, arguments: stored.arguments });
      await this.deleteIfAutoDeleteAndUnused(vhost, source);
    });
  }

  // ---- internals -----------------------------------------------------------

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.serial.then(work);
    this.serial = result.catch(() => undefined);
    return result;
  }

  private newQueue(vhost: VirtualHost, name: string, settings: QueueDeclaration, owner: string | undefined): Queue {
    return new Queue(vhost.name, name, settings, owner, {
      lastConsumerGone: (queue) => {
        void this.serialised(async () => {
          if (!queue.isDeleted && queue.consumerCount === 0) await this.removeQueue(vhost, queue);
        }).catch(() => undefined);
      },
      bytesHeld: this.memory && ((delta) => this.memory!.adjust(delta)),
    });
  }

  private checkBindingEnds(vhost: VirtualHost, binding: Binding, owner?: string): { source: Exchange } {
    assertNotDefaultExchange(binding.source);
    if (binding.destinationKind === 'exchange') assertNotDefaultExchange(binding.destination);
    const source = this.exchange(vhost.name, binding.source);
    if (binding.destinationKind === 'queue') this.queue(vhost.name, binding.destination, owner);
    else this.exchange(vhost.name, binding.destination);
    return { source };
  }

  private destinationOf(vhost: VirtualHost, binding: Binding): Queue | Exchange {
    return binding.destinationKind === 'queue' ? vhost.queues.get(binding.destination)! : vhost.exchanges.get(binding.destination)!;
  }

  private isDurableBinding(vhost: VirtualHost, binding: Binding): boolean {
    const destination = this.destinationOf(vhost, binding);
    const durableDestination = destination instanceof Queue ? isPersisted(destination) : destination.durable;
    return vhost.exchanges.get(binding.source)!.durable && durableDestination;
  }

  private applyBind(vhost: VirtualHost, binding: Binding): void {
    const source = vhost.exchanges.get(binding.source);
    const destination = binding.destinationKind === 'queue' ? vhost.queues.get(binding.destination) : vhost.exchanges.get(binding.destination);
    if (!source || !destination) return;
    source.router.bind({ destination, routingKey: binding.routingKey, arguments: binding.arguments });
    vhost.bindings.push({ ...binding, arguments: { ...binding.arguments } });
  }

  private async removeQueue(vhost: VirtualHost, queue: Queue): Promise<number> {
    if (isPersisted(queue)) await this.store.deleteQueue(vhost.name, queue.name);
    if (queue.storageId !== undefined) await this.messages!.store.forgetQueue(queue.storageId);
    vhost.queues.delete(queue.name);
    const sources = this.dropBindingsTo(vhost, 'queue', queue.name, queue);
    const messages = queue.markDeleted();
    for (const source of sources) await this.deleteIfAutoDeleteAndUnused(vhost, source);
    return messages;
  }

  private async removeExchange(vhost: VirtualHost, exchange: Exchange): Promise<void> {
    if (exchange.durable) await this.store.deleteExchange(vhost.name, exchange.name);
    vhost.exchanges.delete(exchange.name);
    for (let i = vhost.bindings.length - 1; i >= 0; i--) if (vhost.bindings[i].source === exchange.name) vhost.bindings.splice(i, 1);
    const sources = this.dropBindingsTo(vhost, 'exchange', exchange.name, exchange);
    for (const source of sources) await this.deleteIfAutoDeleteAndUnused(vhost, source);
  }

  /** Removes every binding to a destination and returns the exchanges that lost one. */
  private dropBindingsTo(vhost: VirtualHost, kind: Binding['destinationKind'], name: string, destination: Queue | Exchange): Exchange[] {
    const sources = new Set<Exchange>();
    for (let i = vhost.bindings.length - 1; i >= 0; i--) {
      const binding = vhost.bindings[i];
      if (binding.destinationKind !== kind || binding.destination !== name) continue;
      vhost.bindings.splice(i, 1);
      const source = vhost.exchanges.get(binding.source);
      if (source) sources.add(source);
    }
    for (const source of sources) source.router.unbindDestination(destination);
    return [...sources];
  }

  private async deleteIfAutoDeleteAndUnused(vhost: VirtualHost, exchange: Exchange): Promise<void> {
    if (exchange.settings.autoDelete && vhost.exchanges.get(exchange.name) === exchange && exchange.router.bindingCount === 0) {
      await this.removeExchange(vhost, exchange);
    }
  }
}

function assertAccessible(queue: Queue, owner: string | undefined): void {
  if (queue.owner !== undefined && owner !== undefined && queue.owner !== owner) throw lockedError(queue);
}

function lockedError(queue: Queue) {
  return resourceLocked(
    `cannot obtain exclusive access to locked queue '${queue.name}' in vhost '${queue.vhost}'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration.`,
  );
}

/** Exclusive queues die with their connection, so they are never written down. */
function isPersisted(queue: Queue): boolean {
  return queue.durable && !queue.settings.exclusive;
}

function declared(queue: Queue): DeclaredQueue {
  return { queue, messageCount: queue.messageCount, consumerCount: queue.consumerCount };
}
