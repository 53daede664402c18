/** POST /api/exchanges/{vhost}/{name}/publish. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, isBase64, ValidateBy, ValidateIf, ValidateNested } from 'class-validator';
import { MaxBytes } from '../../common/max-bytes';
import { Ignored } from '../../common/validation';
import { MessagePropertiesDto } from './message-properties.dto';

/** A string, and valid base64 when the payload_encoding next to it says so. */
const IsPayload = () =>
  ValidateBy({
    name: 'isPayload',
    validator: {
      validate: (value, args) => typeof value === 'string' && ((args?.object as PublishDto).payload_encoding !== 'base64' || isBase64(value)),
      defaultMessage: (args) => ((args?.object as PublishDto).payload_encoding === 'base64'
        ? 'payload must be base64 when payload_encoding is base64'
        : 'payload must be a string'),
    },
  });

export class PublishDto {
  @IsString()
  @MaxBytes(255)
  @ApiProperty()
  routing_key: string;

  @IsPayload()
  @ApiProperty({ description: 'the body, as text or base64 according to payload_encoding' })
  payload: string;

  @ValidateIf((_object, value) => value !== undefined)
  @IsIn(['string', 'base64'])
  @ApiPropertyOptional({ enum: ['string', 'base64'], default: 'string' })
  payload_encoding: 'string' | 'base64' = 'string';

  @ValidateIf((_object, value) => value !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => MessagePropertiesDto)
  @ApiPropertyOptional({ type: () => MessagePropertiesDto })
  properties: MessagePropertiesDto = new MessagePropertiesDto();

  /** rabbitmqadmin repeats the exchange in the body; the URL decides. */
  @Ignored('ignored: the URL names the exchange')
  exchange?: unknown;

  @Ignored('ignored: the URL names the vhost')
  vhost?: unknown;
}
