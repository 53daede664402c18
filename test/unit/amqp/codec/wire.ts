/**
 * What the codec specs share: bytes written as spaced hex, and the CodecError
 * a call throws (so a test can check its reply code).
 */
import { CodecError } from '../../../../src/amqp/codec/codec-error';

/** `hex('01 0000 ce')`: white space is for the reader only. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** The CodecError `fn` throws; anything else thrown, or nothing, fails the test. */
export function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw e;
  }
  throw new Error('expected a CodecError, nothing was thrown');
}

export function expectCodecError(fn: () => unknown, replyCode: number): void {
  expect(codecError(fn).replyCode).toBe(replyCode);
}
