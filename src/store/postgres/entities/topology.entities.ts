/** TypeORM entities for durable topology; the schema itself is owned by migrations/. */
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** jsonb arguments as json-values.ts writes them; `any` because TypeORM's partial types reject `unknown`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonArguments = Record<string, any>;

@Entity({ name: 'exchanges' })
export class ExchangeEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 }) vhost: string;
  @PrimaryColumn({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'varchar', length: 16 }) type: string;
  @Column({ type: 'boolean' }) durable: boolean;
  @Column({ type: 'boolean', name: 'auto_delete' }) autoDelete: boolean;
  @Column({ type: 'boolean' }) internal: boolean;
  @Column({ type: 'jsonb' }) arguments: JsonArguments;
}

@Entity({ name: 'queues' })
export class QueueEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 }) vhost: string;
  @PrimaryColumn({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'boolean' }) durable: boolean;
  @Column({ type: 'boolean' }) exclusive: boolean;
  @Column({ type: 'boolean', name: 'auto_delete' }) autoDelete: boolean;
  @Column({ type: 'jsonb' }) arguments: JsonArguments;
}

@Entity({ name: 'bindings' })
export class BindingEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'varchar', length: 255 }) vhost: string;
  @Column({ type: 'varchar', length: 255 }) source: string;
  @Column({ type: 'varchar', length: 255 }) destination: string;
  @Column({ type: 'varchar', length: 8, name: 'destination_kind' }) destinationKind: 'queue' | 'exchange';
  @Column({ type: 'text', name: 'routing_key' }) routingKey: string;
  @Column({ type: 'jsonb' }) arguments: JsonArguments;
  /** Canonical form of the arguments, so the unique constraint can tell bindings apart. */
  @Column({ type: 'text', name: 'arguments_key' }) argumentsKey: string;
}
