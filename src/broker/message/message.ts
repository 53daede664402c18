/**
 * A message as the domain core sees it: plain data, no wire encoding.
 * Edges decode what they need for routing (headers, priority, delivery mode);
 * `encodedProperties` keeps the publisher's content-header bytes so that the
 * AMQP edge can pass them through to consumers without re-encoding.
 */
export type HeaderValue = unknown;
export type Headers = Record<string, HeaderValue>;

export interface MessageProperties {
  contentType?: string;
  contentEncoding?: string;
  headers?: Headers;
  deliveryMode?: number;
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  expiration?: string;
  messageId?: string;
  timestamp?: number;
  type?: string;
  userId?: string;
  appId?: string;
  clusterId?: string;
}

export interface Message {
  exchange: string;
  routingKey: string;
  properties: MessageProperties;
  body: Buffer;
  /** Property flags + property list exactly as the publisher sent them, when it came over AMQP. */
  encodedProperties?: Buffer;
}

export const PERSISTENT_DELIVERY_MODE = 2;

export function isPersistent(message: Message): boolean {
  return message.properties.deliveryMode === PERSISTENT_DELIVERY_MODE;
}
