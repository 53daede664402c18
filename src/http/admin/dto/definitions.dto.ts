/**
 * POST /api/definitions: RabbitMQ's definitions file. Exchanges, queues and
 * bindings are imported; vhosts must already exist; users, permissions and
 * global parameters are accepted and ignored (Warren's user comes from its
 * configuration); policies and parameters are refused, since Warren has neither.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsIn, IsString, ValidateIf, ValidateNested } from 'class-validator';
import { Storable } from '../../common/storable-text';
import { OptionalBoolean, OptionalString, OptionalTable } from '../../common/validation';

const whenPresent = () => ValidateIf((_object, value) => value !== undefined);

export class VhostDefinitionDto {
  @IsString() @ApiProperty() name: string;
  @Allow() description?: unknown;
  @Allow() tags?: unknown;
  @Allow() metadata?: unknown;
  @Allow() limits?: unknown;
  @Allow() default_queue_type?: unknown;
  @Allow() tracing?: unknown;
}

export class ExchangeDefinitionDto {
  @IsString() @Storable() @ApiProperty() name: string;
  @OptionalString('absent in a per-vhost file') vhost?: string;
  @OptionalString() type: string = 'direct';
  @OptionalBoolean() durable: boolean = false;
  @OptionalBoolean() auto_delete: boolean = false;
  @OptionalBoolean() internal: boolean = false;
  @OptionalTable() @Storable() arguments: Record<string, unknown> = {};
}

export class QueueDefinitionDto {
  @IsString() @Storable() @ApiProperty() name: string;
  @OptionalString('absent in a per-vhost file') vhost?: string;
  @OptionalBoolean() durable: boolean = false;
  @OptionalBoolean() auto_delete: boolean = false;
  @OptionalTable() @Storable() arguments: Record<string, unknown> = {};
  @whenPresent() @IsIn(['classic'], { message: 'Warren has only classic queues' }) @ApiPropertyOptional() type?: string;
}

export class BindingDefinitionDto {
  @IsString() @ApiProperty() source: string;
  @OptionalString('absent in a per-vhost file') vhost?: string;
  @IsString() @ApiProperty() destination: string;
  @IsIn(['queue', 'exchange']) @ApiProperty({ enum: ['queue', 'exchange'] }) destination_type: 'queue' | 'exchange';
  @OptionalString() @Storable() routing_key: string = '';
  @OptionalTable() @Storable() arguments: Record<string, unknown> = {};
}

const items = <T>(type: () => new () => T) =>
  applyDecorators(whenPresent(), IsArray(), ValidateNested({ each: true }), Type(type), ApiPropertyOptional({ type: [type()] }));
const ignored = () => applyDecorators(whenPresent(), IsArray(), ApiPropertyOptional({ description: 'accepted and ignored' }));
const refused = (what: string) =>
  applyDecorators(whenPresent(), IsArray(), ArrayMaxSize(0, { message: `${what} are not supported by Warren; remove them from the file` }));

export class DefinitionsDto {
  @OptionalString() rabbit_version?: string;
  @OptionalString() rabbitmq_version?: string;
  @OptionalString() product_name?: string;
  @OptionalString() product_version?: string;
  @OptionalString() rabbitmq_definition_format?: string;
  @OptionalString() explanation?: string;

  @ignored() users?: unknown[];
  @ignored() permissions?: unknown[];
  @ignored() topic_permissions?: unknown[];
  @ignored() global_parameters?: unknown[];
  @refused('policies') policies?: unknown[];
  @refused('parameters') parameters?: unknown[];

  @items(() => VhostDefinitionDto) vhosts?: VhostDefinitionDto[];
  @items(() => ExchangeDefinitionDto) exchanges?: ExchangeDefinitionDto[];
  @items(() => QueueDefinitionDto) queues?: QueueDefinitionDto[];
  @items(() => BindingDefinitionDto) bindings?: BindingDefinitionDto[];
}
