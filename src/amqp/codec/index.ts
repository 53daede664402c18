/**
 * The AMQP 0-9-1 codec: pure functions from bytes to frames, methods, content
 * headers and field tables, and back. No sockets, no broker knowledge.
 */
export * from './constants.generated';
export { CodecError } from './codec-error';
export type { CodecReplyCode } from './codec-error';

export {
  FIELD_TYPES,
  MAX_NESTING_DEPTH,
  decodeFieldTable,
  encodeFieldTable,
  fieldTableByteLength,
} from './field-table';
export type { Decimal, FieldTable, FieldType, FieldValue } from './field-table';
export { fromPlain, fromPlainValue, toPlain, toPlainValue } from './field-table-plain';
export type { PlainTable, PlainValue } from './field-table-plain';

// Per-method argument interfaces (QueueDeclare, BasicDeliver, ...) are exported as types only.
export { CLASS_IDS, METHODS, decodeMethod, encodeMethod, methodByteLength } from './methods.generated';
export type * from './methods.generated';

export {
  FRAME_HEADER_SIZE,
  FRAME_OVERHEAD,
  HEARTBEAT_FRAME,
  PROTOCOL_HEADER,
  encodeBodyFrames,
  encodeContentHeaderFrame,
  encodeMethodFrame,
  maxBodyChunk,
  parseFrame,
} from './frame';
export type { ContentProperties, Frame } from './frame';
export {
  decodeBasicProperties,
  decodeContentHeader,
  encodeBasicProperties,
  encodeContentCommand,
  encodeContentCommandFrames,
  encodeDelivery,
} from './content';
export type { ContentHeader } from './content';
