/** Password hashes as RabbitMQ computes them; the vectors come from the RabbitMQ 3.10.8 on the build machine. */
import { hashPassword, isBase64Hash, verifyPassword } from '../../../../src/broker/auth/password-hash';

/** GET /api/users of RabbitMQ 3.10.8 after `PUT /api/users/{name}` with these passwords (see test/fixtures). */
const RABBITMQ_SHA256 = [
  { password: 'guest', hash: 'B3KOWfwplDewkvJlQEVg3FbmQYTO+gIhp/0yBaMfnrpGeKJX' },
  { password: 'admin-secret', hash: 'T78unnQ+HnG3aTXZhcUDM6CaeuOHPaFuuiqUNJbIsETOuDZn' },
  { password: 'pässwörd ünicode', hash: 'XarYqlEkbkdyi13RscLmVGqpkdjbHkIRgQZ+1owQTfDRUaq9' },
];

describe('password hashes', () => {
  it.each(RABBITMQ_SHA256)("verifies RabbitMQ's own SHA-256 hash of $password", ({ password, hash }) => {
    expect(verifyPassword(hash, 'rabbit_password_hashing_sha256', password)).toBe(true);
    expect(verifyPassword(hash, 'rabbit_password_hashing_sha256', password + 'x')).toBe(false);
    expect(verifyPassword(hash, 'rabbit_password_hashing_sha512', password)).toBe(false);
  });

  it.each(RABBITMQ_SHA256)('computes the same hash as RabbitMQ from the same salt ($password)', ({ password, hash }) => {
    const salt = Buffer.from(hash, 'base64').subarray(0, 4);
    expect(hashPassword(password, 'rabbit_password_hashing_sha256', salt)).toBe(hash);
  });

  it('verifies SHA-512 and MD5 hashes made the same way (computed with Python hashlib)', () => {
    const sha512 = 'yv4AAZSd5wO6cjD4cY0IuGAeOJoJERJZFRGQ71XxQ0xtWdylaNqQew0O8lmlaKel6KXb41iCTThL/6CrdRUa2SMJG+0=';
    expect(verifyPassword(sha512, 'rabbit_password_hashing_sha512', 'sha512-secret')).toBe(true);
    expect(verifyPassword('kI3VwizMIrSrYLfKM48Ftce7hJY=', 'rabbit_password_hashing_md5', 'md5-secret')).toBe(true);
    expect(verifyPassword('kI3VwizMIrSrYLfKM48Ftce7hJY=', 'rabbit_password_hashing_md5', 'md5-secreT')).toBe(false);
  });

  it('salts each hash afresh: the same password hashes differently and both verify', () => {
    const first = hashPassword('same');
    const second = hashPassword('same');
    expect(first).not.toBe(second);
    expect(Buffer.from(first, 'base64')).toHaveLength(4 + 32);
    expect(verifyPassword(first, 'rabbit_password_hashing_sha256', 'same')).toBe(true);
    expect(verifyPassword(second, 'rabbit_password_hashing_sha256', 'same')).toBe(true);
  });

  it.each(['', 'AAAA', 'AAAAAAAA'])('matches nothing with an empty or truncated hash %p', (hash) => {
    expect(verifyPassword(hash, 'rabbit_password_hashing_sha256', '')).toBe(false);
    expect(verifyPassword(hash, 'rabbit_password_hashing_sha256', 'x')).toBe(false);
  });

  it('tells base64 from other text', () => {
    expect(isBase64Hash(RABBITMQ_SHA256[0].hash)).toBe(true);
    expect(isBase64Hash('')).toBe(true);
    expect(isBase64Hash('not base64!')).toBe(false);
    expect(isBase64Hash('abc')).toBe(false);
  });
});
