/**
 * The publish writer retries what can pass and splits off what never will; this is
 * where it learns which is which (SQLSTATE classes, and the driver's own errors).
 */
import { isTransientFailure } from '../../../src/store/postgres/message-log/failure-kind';

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });

describe('permanent or transient write failures', () => {
  it.each([
    ['08006', 'connection failure'],
    ['57P01', 'admin shutdown'],
    ['57P03', 'cannot connect now (starting up)'],
    ['53100', 'disk full'],
    ['53300', 'too many connections'],
    ['40P01', 'deadlock'],
    ['40001', 'serialization failure'],
    ['58030', 'I/O error'],
    ['55P03', 'lock not available'],
  ])('%s (%s) is transient: retrying may pass', (code) => {
    expect(isTransientFailure(pgError(code))).toBe(true);
  });

  it.each([
    ['22021', 'invalid byte sequence (a NUL in text)'],
    ['22001', 'value too long'],
    ['23514', 'check violation'],
    ['23505', 'unique violation'],
    ['54000', 'program limit exceeded (row too big)'],
    ['42P01', 'undefined table'],
  ])('%s (%s) is permanent: the same rows are refused every time', (code) => {
    expect(isTransientFailure(pgError(code))).toBe(false);
  });

  it('treats the driver losing its connection as transient, whatever the wording', () => {
    for (const message of ['connect ECONNREFUSED 127.0.0.1:5432', 'Connection terminated unexpectedly', 'read ECONNRESET',
      'timeout exceeded when trying to connect', 'Client has encountered a connection error and is not queryable']) {
      expect(isTransientFailure(new Error(message))).toBe(true);
    }
  });

  it('treats any other error without a SQLSTATE as permanent, so it cannot stall the writer', () => {
    expect(isTransientFailure(new RangeError('Invalid array length'))).toBe(false);
  });
});
