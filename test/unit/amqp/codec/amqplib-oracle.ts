/**
 * amqplib's generated codec (lib/defs.js), used as an independent oracle for
 * the wire layout. Its package exports hide lib/, so it is loaded by path.
 */
import path from 'path';

interface AmqplibDefs {
  decode(id: number, args: Buffer): Record<string, unknown>;
  encodeMethod(id: number, channel: number, fields: Record<string, unknown>): Buffer;
  encodeProperties(id: number, channel: number, size: number, fields: Record<string, unknown>): Buffer;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const amqplibDefs: AmqplibDefs = require(path.join(path.dirname(require.resolve('amqplib')), 'lib', 'defs.js'));
