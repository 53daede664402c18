/** A started TopologyService over a store, declarations with defaults, and a store that can be made to fail. */
import { BrokerError } from '../../../../src/broker/errors';
import type { Headers } from '../../../../src/broker/message/message';
import type { Queue } from '../../../../src/broker/queue/queue';
import { routeMessage } from '../../../../src/broker/publishing/route-message';
import type { Binding } from '../../../../src/broker/topology/binding';
import { ExchangeDeclaration, QueueDeclaration, TopologyService } from '../../../../src/broker/topology/topology-service';
import { MemoryTopologyStore } from '../../../../src/store/memory/memory-topology-store';

export async function startTopology(store = new MemoryTopologyStore()): Promise<TopologyService> {
  const topology = new TopologyService(store);
  await topology.start();
  return topology;
}

export const exchange = (overrides: Partial<ExchangeDeclaration> = {}): ExchangeDeclaration => ({
  type: 'direct', durable: false, autoDelete: false, internal: false, arguments: {}, ...overrides,
});

export const queue = (overrides: Partial<QueueDeclaration> = {}): QueueDeclaration => ({
  durable: false, exclusive: false, autoDelete: false, ...overrides, arguments: { ...overrides.arguments },
});

export const toQueue = (source: string, destination: string, routingKey = '', args: Record<string, unknown> = {}, vhost = '/'): Binding => ({
  vhost, source, destination, destinationKind: 'queue', routingKey, arguments: args,
});

export const toExchange = (source: string, destination: string, routingKey = '', args: Record<string, unknown> = {}, vhost = '/'): Binding => ({
  vhost, source, destination, destinationKind: 'exchange', routingKey, arguments: args,
});

/** Names of the queues a message would reach, sorted. */
export function routed(topology: TopologyService, exchangeName: string, routingKey: string, headers?: Headers, vhost = '/'): string[] {
  const queues: Set<Queue> = routeMessage(topology.vhost(vhost), topology.exchange(vhost, exchangeName), routingKey, headers);
  return [...queues].map((q) => q.name).sort();
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<BrokerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BrokerError);
    return error as BrokerError;
  }
  throw new Error('expected the operation to fail');
}

/** A memory store whose writes throw while `failing` is set, as a database that is down would. */
export class FailingStore extends MemoryTopologyStore {
  failing = false;
  writes = 0;

  private check(): void {
    if (this.failing) throw new Error('store unavailable');
    this.writes++;
  }

  override async saveExchange(...args: Parameters<MemoryTopologyStore['saveExchange']>) { this.check(); return super.saveExchange(...args); }
  override async deleteExchange(...args: Parameters<MemoryTopologyStore['deleteExchange']>) { this.check(); return super.deleteExchange(...args); }
  override async saveQueue(...args: Parameters<MemoryTopologyStore['saveQueue']>) { this.check(); return super.saveQueue(...args); }
  override async deleteQueue(...args: Parameters<MemoryTopologyStore['deleteQueue']>) { this.check(); return super.deleteQueue(...args); }
  override async saveBinding(...args: Parameters<MemoryTopologyStore['saveBinding']>) { this.check(); return super.saveBinding(...args); }
  override async deleteBinding(...args: Parameters<MemoryTopologyStore['deleteBinding']>) { this.check(); return super.deleteBinding(...args); }
}
