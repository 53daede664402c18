/**
 * Messages at the HTTP edge: management-style properties (snake_case) to the
 * domain's MessageProperties for publishing, and a fetched message as RabbitMQ's
 * "get messages" returns it.
 */
import { isUtf8 } from 'buffer';
import type { MessageProperties } from '../../broker/message/message';
import type { LoadedMessage } from '../../broker/queue/queued-message';
import type { MessagePropertiesDto } from '../topology/dto/message-properties.dto';
import { JsonValue, toJsonTable } from './json-value';

const PROPERTY_NAMES: [keyof MessagePropertiesDto, keyof MessageProperties][] = [
  ['content_type', 'contentType'],
  ['content_encoding', 'contentEncoding'],
  ['headers', 'headers'],
  ['delivery_mode', 'deliveryMode'],
  ['priority', 'priority'],
  ['correlation_id', 'correlationId'],
  ['reply_to', 'replyTo'],
  ['expiration', 'expiration'],
  ['message_id', 'messageId'],
  ['timestamp', 'timestamp'],
  ['type', 'type'],
  ['user_id', 'userId'],
  ['app_id', 'appId'],
  ['cluster_id', 'clusterId'],
];

export function toMessageProperties(dto: MessagePropertiesDto): MessageProperties {
  const properties: Record<string, unknown> = {};
  for (const [managementName, domainName] of PROPERTY_NAMES) {
    if (dto[managementName] !== undefined) properties[domainName] = dto[managementName];
  }
  return properties as MessageProperties;
}

export function presentMessageProperties(properties: MessageProperties): Record<string, JsonValue> {
  const view: Record<string, JsonValue> = {};
  for (const [managementName, domainName] of PROPERTY_NAMES) {
    const value = properties[domainName];
    if (value === undefined) continue;
    view[managementName] = domainName === 'headers' ? toJsonTable(value as Record<string, unknown>) : (value as JsonValue);
  }
  return view;
}

export interface FetchedMessageView {
  payload_bytes: number;
  redelivered: boolean;
  exchange: string;
  routing_key: string;
  message_count: number;
  properties: Record<string, JsonValue>;
  payload: string;
  payload_encoding: 'string' | 'base64';
}

export interface PayloadOptions {
  encoding: 'auto' | 'base64';
  truncate?: number;
}

/** `remaining` is how many messages the queue held right after this one was taken. */
export function presentFetchedMessage(queued: LoadedMessage, remaining: number, options: PayloadOptions): FetchedMessageView {
  const { message } = queued;
  const body = options.truncate !== undefined ? message.body.subarray(0, options.truncate) : message.body;
  const asText = options.encoding === 'auto' && isUtf8(body);
  return {
    payload_bytes: message.body.length,
    redelivered: queued.redelivered,
    exchange: message.exchange,
    routing_key: message.routingKey,
    message_count: remaining,
    properties: presentMessageProperties(message.properties),
    payload: asText ? body.toString('utf8') : body.toString('base64'),
    payload_encoding: asText ? 'string' : 'base64',
  };
}
