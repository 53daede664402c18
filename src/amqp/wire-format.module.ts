import { Global, Module } from '@nestjs/common';
import { PROPERTIES_CODEC } from '../broker/ports/message-store';
import { amqpPropertiesCodec } from './properties-codec';

/** Provides the AMQP encoding of message properties to whoever stores messages as bytes. */
@Global()
@Module({ providers: [{ provide: PROPERTIES_CODEC, useValue: amqpPropertiesCodec }], exports: [PROPERTIES_CODEC] })
export class WireFormatModule {}
