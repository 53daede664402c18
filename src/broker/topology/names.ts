import { accessRefused, preconditionFailed } from '../errors';

/** AMQP short strings carry names, so a name is at most 255 bytes of UTF-8. */
export const MAX_NAME_BYTES = 255;

export function assertValidName(kind: 'exchange' | 'queue' | 'vhost', name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) throw preconditionFailed(`${kind} name is ${bytes} bytes of UTF-8; the limit is ${MAX_NAME_BYTES}`);
}

/** The default exchange takes no bindings and cannot be declared or deleted (RabbitMQ's check_not_default_exchange). */
export function assertNotDefaultExchange(name: string): void {
  if (name === '') throw accessRefused('operation not permitted on the default exchange');
}
