/** The broker's PropertiesCodec port, implemented with the AMQP wire format of basic properties. */
import type { MessageProperties } from '../broker/message/message';
import type { PropertiesCodec } from '../broker/ports/message-store';
import { decodeBasicProperties, encodeBasicProperties } from './codec';
import { toBasicProperties, toMessageProperties } from './protocol/content-assembler';

export const amqpPropertiesCodec: PropertiesCodec = {
  encode: (properties: MessageProperties) => encodeBasicProperties(toBasicProperties(properties)),
  decode: (encoded: Buffer) => toMessageProperties(decodeBasicProperties(encoded)),
};
