import { preconditionFailed } from '../errors';

/** AMQP short strings carry names, so a name is at most 255 bytes of UTF-8. */
export const MAX_NAME_BYTES = 255;

export function assertValidName(kind: 'exchange' | 'queue', name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) throw preconditionFailed(`${kind} name is ${bytes} bytes of UTF-8; the limit is ${MAX_NAME_BYTES}`);
}
