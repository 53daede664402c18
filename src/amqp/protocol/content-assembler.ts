/**
 * Assembles a published message from its three parts: the basic.publish method,
 * the content header, and zero or more body frames. The declared body size is
 * checked against the limit before the body's memory is allocated.
 */
import type { Message, MessageProperties } from '../../broker/message/message';
import { BasicProperties, BasicPublish, decodeContentHeader, fromPlain, toPlain } from '../codec';
import { protocolError } from './protocol-error';

export interface AssembledMessage {
  publish: BasicPublish;
  message: Message;
}

interface InProgress {
  publish: BasicPublish;
  properties?: MessageProperties;
  encodedProperties?: Buffer;
  body?: Buffer;
  received: number;
}

export class ContentAssembler {
  private current?: InProgress;

  constructor(private readonly maxMessageSize: number) {}

  /** What the channel must see next: a header, a body frame, or (undefined) a method. */
  get expecting(): 'header' | 'body' | undefined {
    if (!this.current) return undefined;
    return this.current.body ? 'body' : 'header';
  }

  start(publish: BasicPublish): void {
    this.current = { publish, received: 0 };
  }

  /** Returns the message when the header says the body is empty. */
  header(payload: Buffer): AssembledMessage | undefined {
    const current = this.current!;
    const header = decodeContentHeader(payload);
    if (header.bodySize > this.maxMessageSize) {
      this.current = undefined;
      throw protocolError('PRECONDITION_FAILED', `message size ${header.bodySize} is larger than configured max size ${this.maxMessageSize}`);
    }
    current.properties = toMessageProperties(header.properties);
    // A copy: the frame payload is a view into a socket chunk we must not pin.
    current.encodedProperties = Buffer.from(header.encodedProperties);
    current.body = Buffer.allocUnsafe(header.bodySize);
    return header.bodySize === 0 ? this.finish() : undefined;
  }

  /** Returns the message once its last body frame arrives. */
  bodyPart(payload: Buffer): AssembledMessage | undefined {
    const current = this.current!;
    const body = current.body!;
    if (current.received + payload.length > body.length) {
      this.current = undefined;
      throw protocolError('FRAME_ERROR', `body frames exceed the declared body size ${body.length}`);
    }
    payload.copy(body, current.received);
    current.received += payload.length;
    return current.received === body.length ? this.finish() : undefined;
  }

  /** Drops a half-assembled message (the channel is closing). */
  abandon(): void {
    this.current = undefined;
  }

  private finish(): AssembledMessage {
    const { publish, properties, encodedProperties, body } = this.current!;
    this.current = undefined;
    return {
      publish,
      message: { exchange: publish.exchange, routingKey: publish.routingKey, properties: properties!, body: body!, encodedProperties },
    };
  }
}

export function toMessageProperties(p: BasicProperties): MessageProperties {
  const properties: MessageProperties = {};
  if (p.contentType !== undefined) properties.contentType = p.contentType;
  if (p.contentEncoding !== undefined) properties.contentEncoding = p.contentEncoding;
  if (p.headers !== undefined) properties.headers = toPlain(p.headers);
  if (p.deliveryMode !== undefined) properties.deliveryMode = p.deliveryMode;
  if (p.priority !== undefined) properties.priority = p.priority;
  if (p.correlationId !== undefined) properties.correlationId = p.correlationId;
  if (p.replyTo !== undefined) properties.replyTo = p.replyTo;
  if (p.expiration !== undefined) properties.expiration = p.expiration;
  if (p.messageId !== undefined) properties.messageId = p.messageId;
  if (p.timestamp !== undefined) properties.timestamp = Number(p.timestamp);
  if (p.type !== undefined) properties.type = p.type;
  if (p.userId !== undefined) properties.userId = p.userId;
  if (p.appId !== undefined) properties.appId = p.appId;
  if (p.clusterId !== undefined) properties.clusterId = p.clusterId;
  return properties;
}

/** For messages that did not arrive over AMQP (REST publish): the wire form of their properties. */
export function toBasicProperties(p: MessageProperties): BasicProperties {
  const { headers, ...rest } = p;
  return headers === undefined ? rest : { ...rest, headers: fromPlain(headers) };
}
