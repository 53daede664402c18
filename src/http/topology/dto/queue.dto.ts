/** PUT /api/queues/{vhost}/{name}: RabbitMQ's body, with AMQP's defaults for what is left out. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, ValidateIf } from 'class-validator';
import type { QueueDeclaration } from '../../../broker/topology/topology-service';
import { Storable } from '../../common/storable-text';
import { Ignored, OptionalBoolean, OptionalTable, stringToBoolean } from '../../common/validation';

export class QueueDeclarationDto {
  @OptionalBoolean()
  durable: boolean = false;

  @OptionalBoolean()
  auto_delete: boolean = false;

  /** An exclusive queue belongs to the AMQP connection that declared it; an HTTP request has none. */
  @Transform(stringToBoolean)
  @ValidateIf((_object, value) => value !== undefined)
  @Equals(false, { message: 'exclusive queues belong to an AMQP connection and cannot be declared over HTTP' })
  @ApiPropertyOptional({ type: Boolean, enum: [false] })
  exclusive: boolean = false;

  @OptionalTable('e.g. {"x-max-priority": 10}; unknown arguments are kept')
  @Storable()
  arguments: Record<string, unknown> = {};

  @Ignored('ignored: Warren is a single node')
  node?: unknown;

  @Ignored('ignored: the URL names the queue')
  name?: unknown;

  @Ignored('ignored: the URL names the vhost')
  vhost?: unknown;
}

export function toQueueDeclaration(dto: QueueDeclarationDto): QueueDeclaration {
  return { durable: dto.durable, exclusive: false, autoDelete: dto.auto_delete, arguments: dto.arguments };
}
