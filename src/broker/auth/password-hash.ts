/**
 * Passwords hashed as RabbitMQ's internal backend hashes them, so that hashes
 * move between the two brokers in definitions files: base64 of a 4-byte random
 * salt followed by HASH(salt ++ UTF-8 password), with HASH named by the user's
 * hashing_algorithm (rabbit_password_hashing_sha256 unless stated otherwise).
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';

export const HASHING_ALGORITHMS = {
  rabbit_password_hashing_sha256: 'sha256',
  rabbit_password_hashing_sha512: 'sha512',
  rabbit_password_hashing_md5: 'md5',
} as const;

export type HashingAlgorithm = keyof typeof HASHING_ALGORITHMS;

export const DEFAULT_HASHING_ALGORITHM: HashingAlgorithm = 'rabbit_password_hashing_sha256';

const SALT_BYTES = 4;

export function isHashingAlgorithm(name: unknown): name is HashingAlgorithm {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(HASHING_ALGORITHMS, name);
}

export function hashPassword(password: string, algorithm: HashingAlgorithm = DEFAULT_HASHING_ALGORITHM, salt = randomBytes(SALT_BYTES)): string {
  return Buffer.concat([salt, digest(algorithm, salt, password)]).toString('base64');
}

/**
 * Whether `password` matches `hash`. An empty hash (a user created without a
 * password) matches nothing; the comparison takes the same time wherever it differs.
 */
export function verifyPassword(hash: string, algorithm: HashingAlgorithm, password: string): boolean {
  const stored = Buffer.from(hash, 'base64');
  if (stored.length <= SALT_BYTES) return false;
  const expected = stored.subarray(SALT_BYTES);
  const actual = digest(algorithm, stored.subarray(0, SALT_BYTES), password);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * RabbitMQ takes any base64 as a hash (one of the wrong length just never
 * matches), so only text that is not base64 is refused.
 */
export function isBase64Hash(hash: string): boolean {
  return hash.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(hash);
}

function digest(algorithm: HashingAlgorithm, salt: Buffer, password: string): Buffer {
  return createHash(HASHING_ALGORITHMS[algorithm]).update(salt).update(password, 'utf8').digest();
}
