/**
 * A message published over REST. Its AMQP wire properties are encoded here, once,
 * as an AMQP publisher's arrive already encoded: a property AMQP cannot carry (a
 * short string over 255 bytes, headers nested too deep, a header shaped like a
 * tagged field value with the wrong value) is refused with 400 at publish, instead
 * of failing later when the message is delivered to an AMQP consumer.
 */
import { BadRequestException } from '@nestjs/common';
import { encodeBasicProperties } from '../../amqp/codec';
import { toBasicProperties } from '../../amqp/protocol/content-assembler';
import type { Message } from '../../broker/message/message';
import { toMessageProperties } from '../presenters/message.presenter';
import type { PublishDto } from './dto/publish.dto';

export function restMessage(exchange: string, dto: PublishDto): Message {
  const properties = toMessageProperties(dto.properties);
  let encodedProperties: Buffer;
  try {
    encodedProperties = encodeBasicProperties(toBasicProperties(properties));
  } catch (error) {
    throw new BadRequestException(`properties cannot be carried by AMQP: ${(error as Error).message}`);
  }
  return {
    exchange,
    routingKey: dto.routing_key,
    properties,
    body: Buffer.from(dto.payload, dto.payload_encoding === 'base64' ? 'base64' : 'utf8'),
    encodedProperties,
  };
}
