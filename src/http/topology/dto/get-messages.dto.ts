/** POST /api/queues/{vhost}/{name}/get: fetch messages for inspection, as RabbitMQ's "Get messages". */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min, ValidateIf } from 'class-validator';
import { Ignored, OptionalInt, stringToInteger } from '../../common/validation';

export const ACK_MODES = ['ack_requeue_true', 'ack_requeue_false', 'reject_requeue_true', 'reject_requeue_false'] as const;
export type AckMode = (typeof ACK_MODES)[number];

/** A bound on one request's work; RabbitMQ has none, but a count of 1e9 should not spin. */
export const MAX_GET_COUNT = 10_000;

export class GetMessagesDto {
  @Transform(stringToInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_GET_COUNT)
  @ApiProperty({ minimum: 1, maximum: MAX_GET_COUNT })
  count: number;

  @IsIn(ACK_MODES)
  @ApiProperty({ enum: ACK_MODES, description: '*_requeue_true puts the messages back, marked redelivered' })
  ackmode: AckMode;

  @ValidateIf((_object, value) => value !== undefined)
  @IsIn(['auto', 'base64'])
  @ApiPropertyOptional({ enum: ['auto', 'base64'], default: 'auto', description: 'auto: text when the body is UTF-8' })
  encoding: 'auto' | 'base64' = 'auto';

  @OptionalInt(0, Number.MAX_SAFE_INTEGER, 'return at most this many bytes of each payload')
  truncate?: number;

  @Ignored('ignored: the URL names them')
  vhost?: unknown;

  @Ignored('ignored: the URL names them')
  name?: unknown;
}
