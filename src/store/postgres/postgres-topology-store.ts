/** TopologyStore on PostgreSQL through TypeORM: low-rate writes, one read at start. */
import { DataSource } from 'typeorm';
import type { ExchangeRecord, QueueRecord, TopologySnapshot, TopologyStore, VhostRecord } from '../../broker/ports/topology-store';
import { Binding, propertiesKey } from '../../broker/topology/binding';
import type { ExchangeTypeName } from '../../broker/routing';
import { BindingEntity, ExchangeEntity, QueueEntity, VhostEntity } from './entities';
import { argumentsFromJson, argumentsToJson } from './json-values';

export class PostgresTopologyStore implements TopologyStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<TopologySnapshot> {
    const [vhosts, exchanges, queues, bindings] = await Promise.all([
      this.dataSource.getRepository(VhostEntity).find({ order: { createdAt: 'ASC', name: 'ASC' } }),
      this.dataSource.getRepository(ExchangeEntity).find(),
      this.dataSource.getRepository(QueueEntity).find(),
      this.dataSource.getRepository(BindingEntity).find({ order: { id: 'ASC' } }),
    ]);
    return {
      vhosts: vhosts.map((v) => ({ name: v.name, description: v.description, tags: v.tags, defaultQueueType: v.defaultQueueType })),
      exchanges: exchanges.map((e) => ({
        vhost: e.vhost, name: text(e.name), type: e.type as ExchangeTypeName, durable: e.durable,
        autoDelete: e.autoDelete, internal: e.internal, arguments: argumentsFromJson(e.arguments),
      })),
      queues: queues.map((q) => ({
        vhost: q.vhost, name: text(q.name), durable: q.durable, exclusive: q.exclusive,
        autoDelete: q.autoDelete, arguments: argumentsFromJson(q.arguments),
      })),
      bindings: bindings.map((b) => ({
        vhost: b.vhost, source: text(b.source), destination: text(b.destination), destinationKind: b.destinationKind,
        routingKey: text(b.routingKey), arguments: argumentsFromJson(b.arguments),
      })),
    };
  }

  async saveVhost(vhost: VhostRecord): Promise<void> {
    await this.dataSource.getRepository(VhostEntity).upsert({ ...vhost, tags: [...vhost.tags] }, ['name']);
  }

  async deleteVhost(name: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(BindingEntity, { vhost: name });
      await manager.delete(VhostEntity, { name });
    });
  }

  async saveExchange(exchange: ExchangeRecord): Promise<void> {
    await this.dataSource.getRepository(ExchangeEntity).upsert(
      { ...exchange, name: bytes(exchange.name), arguments: argumentsToJson(exchange.arguments) }, ['vhost', 'name'],
    );
  }

  async deleteExchange(vhost: string, name: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(BindingEntity, { vhost, source: bytes(name) });
      await manager.delete(BindingEntity, { vhost, destinationKind: 'exchange', destination: bytes(name) });
      await manager.delete(ExchangeEntity, { vhost, name: bytes(name) });
    });
  }

  async saveQueue(queue: QueueRecord): Promise<void> {
    await this.dataSource.getRepository(QueueEntity).upsert(
      { ...queue, name: bytes(queue.name), arguments: argumentsToJson(queue.arguments) }, ['vhost', 'name'],
    );
  }

  async deleteQueue(vhost: string, name: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(BindingEntity, { vhost, destinationKind: 'queue', destination: bytes(name) });
      await manager.delete(QueueEntity, { vhost, name: bytes(name) });
    });
  }

  async saveBinding(binding: Binding): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(BindingEntity)
      .values({ ...bindingColumns(binding), arguments: argumentsToJson(binding.arguments), argumentsKey: argumentsKey(binding) })
      .orIgnore()
      .execute();
  }

  async deleteBinding(binding: Binding): Promise<void> {
    await this.dataSource.getRepository(BindingEntity).delete({ ...bindingColumns(binding), argumentsKey: argumentsKey(binding) });
  }
}

const bytes = (name: string): Buffer => Buffer.from(name, 'utf8');
const text = (stored: Buffer): string => stored.toString('utf8');

function bindingColumns(binding: Binding) {
  return {
    vhost: binding.vhost, source: bytes(binding.source), destination: bytes(binding.destination),
    destinationKind: binding.destinationKind, routingKey: bytes(binding.routingKey),
  };
}

/** The part of the properties key that identifies the arguments (routing key is its own column). */
function argumentsKey(binding: Binding): string {
  return propertiesKey('', binding.arguments);
}
