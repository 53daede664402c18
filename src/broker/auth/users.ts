/**
 * The broker's users (RabbitMQ's internal authentication backend): names,
 * salted password hashes and tags, kept in memory and written through the
 * UserStore before a change takes effect. Checks logins for AMQP and HTTP alike.
 * Changes are serialised so that memory and store never disagree.
 */
import { preconditionFailed } from '../errors';
import type { ConnectionEvictions } from '../events/connection-evictions';
import type { UserRecord, UserStore } from '../ports/user-store';
import { DEFAULT_HASHING_ALGORITHM, HashingAlgorithm, hashPassword, isBase64Hash, verifyPassword } from './password-hash';
import type { PermissionService } from './permissions';

/** Who is logged in: what the rest of the broker needs to know about a user. */
export interface User {
  name: string;
  tags: string[];
}

/** A PUT of a user, as RabbitMQ's put_user takes it: a password, or a hash, or neither (no password login). */
export interface UserChange {
  password?: string;
  passwordHash?: string;
  hashingAlgorithm?: HashingAlgorithm;
  tags: string[];
}

export type Authentication = { user: User } | { refused: string };

/** RabbitMQ's wording for each refusal, as its logs show them. */
const invalidCredentials = (name: string) => `user '${name}' - invalid credentials`;
const blankPassword = (name: string) =>
  `user '${name}' attempted to log in with a blank password, which is prohibited by the internal authN backend.`;

/** Verifying against this when the user does not exist keeps unknown names from answering faster. */
const DECOY_HASH = hashPassword('decoy');

export class UserService {
  private readonly users = new Map<string, UserRecord>();
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: UserStore,
    records: UserRecord[],
    private readonly permissions: PermissionService,
    private readonly evictions: ConnectionEvictions,
  ) {
    for (const record of records) this.users.set(record.name, { ...record, tags: [...record.tags] });
  }

  has(name: string): boolean {
    return this.users.has(name);
  }

  /** With the password hash: for administrators and definitions only. */
  get(name: string): UserRecord | undefined {
    const record = this.users.get(name);
    return record && { ...record, tags: [...record.tags] };
  }

  list(): UserRecord[] {
    return [...this.users.keys()].sort().map((name) => this.get(name)!);
  }

  authenticate(name: string, password: string): Authentication {
    if (password === '') return { refused: blankPassword(name) };
    const record = this.users.get(name);
    const matches = verifyPassword(record?.passwordHash || DECOY_HASH, record?.hashingAlgorithm ?? DEFAULT_HASHING_ALGORITHM, password);
    if (!record || !record.passwordHash || !matches) return { refused: invalidCredentials(name) };
    return { user: { name: record.name, tags: [...record.tags] } };
  }

  /**
   * Creates or replaces a user, as RabbitMQ's PUT /api/users/{name}: with neither
   * password nor hash, a new user gets no password and an existing one loses its
   * password (it can then only log in by other means).
   */
  put(name: string, change: UserChange): Promise<'created' | 'updated'> {
    if (change.password !== undefined && change.passwordHash !== undefined) {
      throw preconditionFailed('both_password_and_password_hash_are_provided');
    }
    if (change.passwordHash !== undefined && !isBase64Hash(change.passwordHash)) throw preconditionFailed('password_hash must be base64');
    const algorithm = change.hashingAlgorithm ?? DEFAULT_HASHING_ALGORITHM;
    const record: UserRecord = {
      name,
      passwordHash: change.password !== undefined ? hashPassword(change.password, algorithm) : change.passwordHash ?? '',
      hashingAlgorithm: algorithm,
      tags: normaliseTags(change.tags),
    };
    return this.serialised(async () => {
      const existed = this.users.has(name);
      await this.store.saveUser(record);
      this.users.set(name, record);
      return existed ? 'updated' : 'created';
    });
  }

  /** Removes the user and its permissions, and closes its connections; false when there was no such user. */
  delete(name: string): Promise<boolean> {
    return this.serialised(async () => {
      if (!this.users.has(name)) return false;
      await this.store.deleteUser(name);
      this.users.delete(name);
      this.permissions.forgetUser(name);
      this.evictions.evict({ user: name, reason: `user '${name}' is deleted` });
      return true;
    });
  }

  /**
   * On first start (no user at all), the configured user is created as an
   * administrator with full permissions on the default vhost, as RabbitMQ does.
   */
  async ensureDefaultUser(name: string, password: string, defaultVhost: string, vhostExists: boolean): Promise<boolean> {
    if (this.users.size > 0) return false;
    await this.put(name, { password, tags: ['administrator'] });
    if (vhostExists) await this.permissions.set({ user: name, vhost: defaultVhost, configure: '.*', write: '.*', read: '.*' });
    return true;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.serial.then(work);
    this.serial = result.catch(() => undefined);
    return result;
  }
}

/** Tags as RabbitMQ's API takes them: "a, b" or ["a", "b"]; trimmed, without empties or repeats. */
export function parseTags(tags: string | string[] | undefined): string[] {
  const list = typeof tags === 'string' ? tags.split(',') : tags ?? [];
  return normaliseTags(list);
}

function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}
