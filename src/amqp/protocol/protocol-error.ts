/**
 * Turning anything thrown while handling a frame into the AMQP close it deserves:
 * domain errors keep their code, codec errors become connection errors, and
 * anything unexpected is a 541 INTERNAL_ERROR on the connection (and a log line).
 */
import { BrokerError, ErrorCodes, ErrorName } from '../../broker/errors';
import { CodecError, HARD_ERROR_CODES } from '../codec';

export interface CloseReason {
  code: number;
  text: string;
  classId: number;
  methodId: number;
  closesConnection: boolean;
  /** Unexpected failures are logged; protocol errors a client caused are not. */
  unexpected?: Error;
}

const NAME_BY_CODE = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));

/** An error raised by the protocol layer itself, with an AMQP constant name. */
export function protocolError(name: ErrorName, detail: string): BrokerError {
  return new BrokerError(name, detail);
}

export function closeReasonFor(error: unknown, classId = 0, methodId = 0): CloseReason {
  if (error instanceof BrokerError) {
    return { code: error.code, text: truncate(error.replyText), classId, methodId, closesConnection: error.closesConnection };
  }
  if (error instanceof CodecError) {
    const name = NAME_BY_CODE.get(error.replyCode) ?? 'FRAME_ERROR';
    return {
      code: error.replyCode, text: truncate(`${name} - ${error.message}`),
      classId: error.classId || classId, methodId: error.methodId || methodId,
      closesConnection: HARD_ERROR_CODES.has(error.replyCode),
    };
  }
  const unexpected = error instanceof Error ? error : new Error(String(error));
  return { code: 541, text: 'INTERNAL_ERROR', classId, methodId, closesConnection: true, unexpected };
}

const SHORT_STRING_MAX = 255;
const ELLIPSIS = '...';

/** reply-text is a short string: at most 255 bytes. Longer texts end in '...', as RabbitMQ's do. */
function truncate(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= SHORT_STRING_MAX) return text;
  const kept = bytes.subarray(0, SHORT_STRING_MAX - ELLIPSIS.length).toString('utf8').replace(/\uFFFD+$/, '');
  return kept + ELLIPSIS;
}
