/** POST /api/bindings/{vhost}/e/{source}/{q|e}/{destination}. */
import { MaxBytes } from '../../common/max-bytes';
import { Storable } from '../../common/storable-text';
import { Ignored, OptionalString, OptionalTable } from '../../common/validation';

export class BindingDto {
  @OptionalString()
  @MaxBytes(255)
  @Storable()
  routing_key: string = '';

  @OptionalTable('e.g. {"x-match": "any", "format": "pdf"} for a headers exchange')
  @Storable()
  arguments: Record<string, unknown> = {};

  /** rabbitmqadmin repeats the ends of the binding in the body; the URL decides. */
  @Ignored('ignored: the URL names it')
  source?: unknown;

  @Ignored('ignored: the URL names it')
  destination?: unknown;

  @Ignored('ignored: the URL names it')
  destination_type?: unknown;

  @Ignored('ignored: the URL names it')
  vhost?: unknown;
}
