/**
 * The one error type the codec throws for bytes it cannot accept or values it
 * cannot put on the wire. It carries the AMQP reply code the connection should
 * be closed with, so the protocol layer can map it without parsing messages.
 */
import {
  COMMAND_INVALID,
  FRAME_ERROR,
  INTERNAL_ERROR,
  SYNTAX_ERROR,
  UNEXPECTED_FRAME,
} from './constants.generated';

/**
 * 501 frame error: bytes do not form a well-sized frame or method (truncated, trailing, bad frame-end).
 * 502 syntax error: sizes are fine but a value is illegal (unknown table tag, integer out of range).
 * 503 command invalid: unknown class or method id.
 * 505 unexpected frame: a content header for a class that carries no content.
 * 541 internal error: we were asked to encode something the wire cannot carry (our own bug, not the peer's).
 */
export type CodecReplyCode =
  | typeof FRAME_ERROR
  | typeof SYNTAX_ERROR
  | typeof COMMAND_INVALID
  | typeof UNEXPECTED_FRAME
  | typeof INTERNAL_ERROR;

export class CodecError extends Error {
  override readonly name = 'CodecError';

  constructor(
    readonly replyCode: CodecReplyCode,
    message: string,
    /** Class and method being decoded when known, for connection.close's class-id / method-id. */
    readonly classId = 0,
    readonly methodId = 0,
  ) {
    super(message);
  }
}

export function frameError(message: string, classId = 0, methodId = 0): CodecError {
  return new CodecError(FRAME_ERROR, message, classId, methodId);
}

export function syntaxError(message: string, classId = 0, methodId = 0): CodecError {
  return new CodecError(SYNTAX_ERROR, message, classId, methodId);
}

/** Encoding failures: the value came from our own side, so the fault is internal. */
export function encodeError(message: string): CodecError {
  return new CodecError(INTERNAL_ERROR, message);
}
