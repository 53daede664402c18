/** PUT /api/permissions/{vhost}/{user} and /api/topic-permissions/{vhost}/{user}: regular expressions, as RabbitMQ takes them. */
import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Storable } from '../../common/storable-text';
import { Ignored } from '../../common/validation';

const REGEX = 'a regular expression over names; "" matches nothing, ".*" everything';

export class PermissionDto {
  @IsString() @Storable() @ApiProperty({ description: REGEX }) configure: string;
  @IsString() @Storable() @ApiProperty({ description: REGEX }) write: string;
  @IsString() @Storable() @ApiProperty({ description: REGEX }) read: string;
  @Ignored('ignored: the URL names the user') user?: unknown;
  @Ignored('ignored: the URL names the vhost') vhost?: unknown;
}

const TOPIC_REGEX = 'a regular expression over routing keys; {username} and {vhost} are replaced';

export class TopicPermissionDto {
  @IsString() @Storable() @ApiProperty({ description: 'the topic exchange it applies to' }) exchange: string;
  @IsString() @Storable() @ApiProperty({ description: TOPIC_REGEX }) write: string;
  @IsString() @Storable() @ApiProperty({ description: TOPIC_REGEX }) read: string;
  @Ignored('ignored: the URL names the user') user?: unknown;
  @Ignored('ignored: the URL names the vhost') vhost?: unknown;
}
