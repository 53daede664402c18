/** PUT /api/exchanges/{vhost}/{name}: RabbitMQ's body, with AMQP's defaults for what is left out. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { EXCHANGE_TYPES } from '../../../broker/routing';
import type { ExchangeDeclaration } from '../../../broker/topology/topology-service';
import { Storable } from '../../common/storable-text';
import { Ignored, OptionalBoolean, OptionalString, OptionalTable } from '../../common/validation';

export class ExchangeDeclarationDto {
  // The domain refuses unknown types with its own message, so the type is only checked to be a string here.
  @OptionalString()
  @ApiPropertyOptional({ enum: EXCHANGE_TYPES, default: 'direct' })
  type: string = 'direct';

  @OptionalBoolean()
  durable: boolean = false;

  @OptionalBoolean()
  auto_delete: boolean = false;

  @OptionalBoolean('publishers cannot publish to an internal exchange directly')
  internal: boolean = false;

  @OptionalTable('e.g. {"alternate-exchange": "ae"}')
  @Storable()
  arguments: Record<string, unknown> = {};

  /** rabbitmqadmin repeats the name and vhost in the body; the URL decides. */
  @Ignored('ignored: the URL names the exchange')
  name?: unknown;

  @Ignored('ignored: the URL names the vhost')
  vhost?: unknown;
}

export function toExchangeDeclaration(dto: ExchangeDeclarationDto): ExchangeDeclaration {
  return { type: dto.type, durable: dto.durable, autoDelete: dto.auto_delete, internal: dto.internal, arguments: dto.arguments };
}
