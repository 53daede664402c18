/** PUT /api/vhosts/{name} and PUT /api/vhost-limits/{vhost}/{name}. */
import { ApiProperty } from '@nestjs/swagger';
import { Allow, IsDefined } from 'class-validator';
import { Storable } from '../../common/storable-text';
import { Ignored, OptionalBoolean, OptionalString, OptionalTags } from '../../common/validation';

export class VhostDto {
  @OptionalString() @Storable() description?: string;
  @OptionalTags() @Storable() tags?: string | string[];
  @OptionalString('classic (Warren has no other queue type)') default_queue_type?: string;
  /** The name RabbitMQ's own UI and 3.x API use for the same setting. */
  @OptionalString('the same as default_queue_type') defaultqueuetype?: string;
  @OptionalBoolean('accepted; Warren has no message tracing') tracing?: boolean;
  @Ignored('ignored: the URL names the vhost') name?: unknown;
}

export class VhostLimitDto {
  /** Checked by the domain, which answers with RabbitMQ's validation message. */
  @Allow() @IsDefined() @ApiProperty({ type: Number, description: 'an integer; negative means no limit' }) value: unknown;
  @Ignored('ignored: the URL names it') vhost?: unknown;
  @Ignored('ignored: the URL names it') name?: unknown;
}
