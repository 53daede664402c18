/**
 * TypeORM entities for durable topology; the schema itself is owned by migrations/.
 * Names and routing keys are AMQP short strings, which may hold NUL: they are
 * stored as their UTF-8 bytes (bytea), byte for byte.
 */
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** jsonb arguments as json-values.ts writes them; `any` because TypeORM's partial types reject `unknown`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonArguments = Record<string, any>;

@Entity({ name: 'exchanges' })
export class ExchangeEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 }) vhost: string;
  @PrimaryColumn({ type: 'bytea' }) name: Buffer;
  @Column({ type: 'varchar', length: 16 }) type: string;
  @Column({ type: 'boolean' }) durable: boolean;
  @Column({ type: 'boolean', name: 'auto_delete' }) autoDelete: boolean;
  @Column({ type: 'boolean' }) internal: boolean;
  @Column({ type: 'jsonb' }) arguments: JsonArguments;
}

@Entity({ name: 'queues' })
export class QueueEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 }) vhost: string;
  @PrimaryColumn({ type: 'bytea' }) name: Buffer;
  @Column({ type: 'boolean' }) durable: boolean;
  @Column({ type: 'boolean' }) exclusive: boolean;
  @Column({ type: 'boolean', name: 'auto_delete' }) autoDelete: boolean;
  @Column({ type: 'jsonb' }) arguments: JsonArguments;
}

@Entity({ name: 'bindings' })
export class BindingEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'varchar', length: 255 }) vhost: string;
  @Column({ type: 'bytea' }) source: Buffer;
  @Column({ type: 'bytea' }) destination: Buffer;
  @Column({ type: 'varchar', length: 8, name: 'destination_kind' }) destinationKind: 'queue' | 'exchange';
  @Column({ type: 'bytea', name: 'routing_key' }) routingKey: Buffer;
  @Column({ type: 'jsonb' }) arguments: JsonArguments;
  /** Canonical form of the arguments, so the unique constraint can tell bindings apart. */
  @Column({ type: 'text', name: 'arguments_key' }) argumentsKey: string;
}
