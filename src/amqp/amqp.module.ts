import { Module } from '@nestjs/common';
import { AmqpListener } from './transport/amqp-listener';
import { AmqpServer } from './transport/amqp-server';

/** The AMQP 0-9-1 edge: listener and connections; everything they do goes through the broker core. */
@Module({ providers: [AmqpListener, AmqpServer], exports: [AmqpListener, AmqpServer] })
export class AmqpModule {}
