/** Message properties as RabbitMQ's management API writes them (snake_case), for publishing. */
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, Matches, ValidateIf } from 'class-validator';
import { OptionalInt, OptionalString, OptionalTable, stringToInteger } from '../../common/validation';

export class MessagePropertiesDto {
  @Transform(stringToInteger)
  @ValidateIf((_object, value) => value !== undefined)
  @IsIn([1, 2], { message: 'delivery_mode must be 1 (transient) or 2 (persistent)' })
  @ApiPropertyOptional({ enum: [1, 2] })
  delivery_mode?: number;

  @OptionalInt(0, 255)
  priority?: number;

  @OptionalTable()
  headers?: Record<string, unknown>;

  @OptionalString() content_type?: string;
  @OptionalString() content_encoding?: string;
  @OptionalString() correlation_id?: string;
  @OptionalString() reply_to?: string;

  @ValidateIf((_object, value) => value !== undefined)
  @Matches(/^\d{1,10}$/, { message: 'expiration must be a string of milliseconds, e.g. "60000"' })
  @ApiPropertyOptional({ type: String, example: '60000' })
  expiration?: string;

  @OptionalString() message_id?: string;

  @OptionalInt(0, Number.MAX_SAFE_INTEGER, 'seconds since the epoch')
  timestamp?: number;

  @OptionalString() type?: string;
  @OptionalString() user_id?: string;
  @OptionalString() app_id?: string;
  @OptionalString() cluster_id?: string;
}
