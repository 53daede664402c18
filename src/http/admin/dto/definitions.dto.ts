/**
 * POST /api/definitions: RabbitMQ's definitions file, as RabbitMQ 3.x exports it.
 * Users (with their password hashes), vhosts (created when missing), permissions,
 * topic permissions, vhost limits (parameters of component vhost-limits),
 * exchanges, queues and bindings are imported; global parameters are accepted
 * and ignored; policies and other parameters are refused, since Warren has neither.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsIn, IsObject, IsString, ValidateIf, ValidateNested } from 'class-validator';
import { HASHING_ALGORITHMS } from '../../../broker/auth/password-hash';
import { Storable } from '../../common/storable-text';
import { Ignored, OptionalBoolean, OptionalString, OptionalTable, OptionalTags } from '../../common/validation';

const whenPresent = () => ValidateIf((_object, value) => value !== undefined);

export class UserDefinitionDto {
  @IsString() @Storable() @ApiProperty() name: string;
  @OptionalString('base64 salt and digest; absent or "" for a user without a password') password_hash?: string;
  @whenPresent() @IsIn(Object.keys(HASHING_ALGORITHMS)) @ApiPropertyOptional({ enum: Object.keys(HASHING_ALGORITHMS) }) hashing_algorithm?: string;
  /** A list since RabbitMQ 3.9, a comma-separated string before. */
  @OptionalTags() @Storable() tags?: string | string[];
  @Ignored('accepted and ignored: Warren has no per-user limits') limits?: unknown;
}

export class VhostMetadataDto {
  @OptionalString() @Storable() description?: string;
  @OptionalTags() @Storable() tags?: string | string[];
  @OptionalString() default_queue_type?: string;
}

export class VhostDefinitionDto {
  @IsString() @Storable() @ApiProperty() name: string;
  @OptionalString() @Storable() description?: string;
  @OptionalTags() @Storable() tags?: string | string[];
  @OptionalString() default_queue_type?: string;
  @whenPresent() @IsObject() @ValidateNested() @Type(() => VhostMetadataDto) @ApiPropertyOptional({ type: () => VhostMetadataDto })
  metadata?: VhostMetadataDto;
  @Ignored('accepted and ignored: vhost limits come as parameters of component vhost-limits') limits?: unknown;
  @Ignored('accepted and ignored') tracing?: unknown;
}

export class PermissionDefinitionDto {
  @IsString() @ApiProperty() user: string;
  @IsString() @ApiProperty() vhost: string;
  @IsString() @Storable() @ApiProperty() configure: string;
  @IsString() @Storable() @ApiProperty() write: string;
  @IsString() @Storable() @ApiProperty() read: string;
}

export class TopicPermissionDefinitionDto {
  @IsString() @ApiProperty() user: string;
  @IsString() @ApiProperty() vhost: string;
  @IsString() @Storable() @ApiProperty() exchange: string;
  @IsString() @Storable() @ApiProperty() write: string;
  @IsString() @Storable() @ApiProperty() read: string;
}

/** Only vhost limits are parameters Warren knows. */
export class ParameterDefinitionDto {
  @OptionalString('absent in a per-vhost file') vhost?: string;
  @IsIn(['vhost-limits'], { message: "parameters of component $value are not supported by Warren (only vhost-limits); remove them from the file" })
  @ApiProperty({ enum: ['vhost-limits'] })
  component: string;
  @IsString() @ApiProperty() name: string;
  @IsObject() @ApiProperty({ type: 'object', additionalProperties: true }) value: Record<string, unknown>;
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
const ignored = () => applyDecorators(whenPresent(), IsArray(), Allow(), ApiPropertyOptional({ description: 'accepted and ignored' }));
const refused = (what: string) =>
  applyDecorators(whenPresent(), IsArray(), ArrayMaxSize(0, { message: `${what} are not supported by Warren; remove them from the file` }));

export class DefinitionsDto {
  @OptionalString() rabbit_version?: string;
  @OptionalString() rabbitmq_version?: string;
  @OptionalString() product_name?: string;
  @OptionalString() product_version?: string;
  @OptionalString() rabbitmq_definition_format?: string;
  @OptionalString() explanation?: string;

  @items(() => UserDefinitionDto) users?: UserDefinitionDto[];
  @items(() => VhostDefinitionDto) vhosts?: VhostDefinitionDto[];
  @items(() => PermissionDefinitionDto) permissions?: PermissionDefinitionDto[];
  @items(() => TopicPermissionDefinitionDto) topic_permissions?: TopicPermissionDefinitionDto[];
  @items(() => ParameterDefinitionDto) parameters?: ParameterDefinitionDto[];
  @ignored() global_parameters?: unknown[];
  @refused('policies') policies?: unknown[];

  @items(() => ExchangeDefinitionDto) exchanges?: ExchangeDefinitionDto[];
  @items(() => QueueDefinitionDto) queues?: QueueDefinitionDto[];
  @items(() => BindingDefinitionDto) bindings?: BindingDefinitionDto[];
}
