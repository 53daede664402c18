/**
 * Who may do what where: each user's configure/write/read regular expressions
 * per vhost, and topic permissions (write/read expressions over routing keys)
 * per vhost and exchange. Kept compiled in memory for the checks on every
 * method, written through the UserStore first. AccessPolicy asks; this stores.
 */
import { preconditionFailed } from '../errors';
import type { PermissionRecord, TopicPermissionRecord, UserStore } from '../ports/user-store';

export interface CompiledPermission {
  record: PermissionRecord;
  configure: RegExp;
  write: RegExp;
  read: RegExp;
}

export interface CompiledTopicPermission {
  record: TopicPermissionRecord;
  write: RegExp;
  read: RegExp;
}

/** What the service must know exists before it grants anything. */
export interface KnownNames {
  userExists(name: string): boolean;
  vhostExists(name: string): boolean;
}

type ByVhost<T> = Map<string, T>;

export class PermissionService {
  private readonly permissions = new Map<string, ByVhost<CompiledPermission>>();
  private readonly topicPermissions = new Map<string, ByVhost<Map<string, CompiledTopicPermission>>>();
  private serial: Promise<unknown> = Promise.resolve();
  /** Bumped by every change, so that a check remembered by a channel knows when to look again. */
  version = 0;

  constructor(
    private readonly store: UserStore,
    snapshot: { permissions: PermissionRecord[]; topicPermissions: TopicPermissionRecord[] },
    private readonly known: KnownNames,
  ) {
    for (const record of snapshot.permissions) this.apply(record);
    for (const record of snapshot.topicPermissions) this.applyTopic(record);
  }

  // ---- lookups, on the hot path --------------------------------------------

  of(user: string, vhost: string): CompiledPermission | undefined {
    return this.permissions.get(user)?.get(vhost);
  }

  topicOf(user: string, vhost: string, exchange: string): CompiledTopicPermission | undefined {
    return this.topicPermissions.get(user)?.get(vhost)?.get(exchange);
  }

  // ---- listings ------------------------------------------------------------

  list(filter: { user?: string; vhost?: string } = {}): PermissionRecord[] {
    return [...this.permissions.values()]
      .flatMap((byVhost) => [...byVhost.values()].map((p) => ({ ...p.record })))
      .filter((p) => matches(p, filter));
  }

  listTopic(filter: { user?: string; vhost?: string } = {}): TopicPermissionRecord[] {
    return [...this.topicPermissions.values()]
      .flatMap((byVhost) => [...byVhost.values()].flatMap((byExchange) => [...byExchange.values()].map((p) => ({ ...p.record }))))
      .filter((p) => matches(p, filter));
  }

  // ---- changes -------------------------------------------------------------

  /** Grants (or replaces) a user's permissions in a vhost; returns whether there were some before. */
  set(record: PermissionRecord): Promise<boolean> {
    const compiled = compilePermission({ ...record });
    return this.serialised(async () => {
      this.assertKnown(record.user, record.vhost);
      const existed = this.of(record.user, record.vhost) !== undefined;
      await this.store.savePermission(compiled.record);
      this.apply(compiled.record, compiled);
      return existed;
    });
  }

  clear(user: string, vhost: string): Promise<boolean> {
    return this.serialised(async () => {
      if (!this.of(user, vhost)) return false;
      await this.store.deletePermission(user, vhost);
      this.permissions.get(user)?.delete(vhost);
      this.version++;
      return true;
    });
  }

  setTopic(record: TopicPermissionRecord): Promise<boolean> {
    const compiled = compileTopicPermission({ ...record });
    return this.serialised(async () => {
      this.assertKnown(record.user, record.vhost);
      const existed = this.topicOf(record.user, record.vhost, record.exchange) !== undefined;
      await this.store.saveTopicPermission(compiled.record);
      this.applyTopic(compiled.record, compiled);
      return existed;
    });
  }

  /** Clears the user's topic permissions in the vhost (only `exchange`'s when given); false when there were none. */
  clearTopic(user: string, vhost: string, exchange?: string): Promise<boolean> {
    return this.serialised(async () => {
      const byExchange = this.topicPermissions.get(user)?.get(vhost);
      if (!byExchange || (exchange !== undefined && !byExchange.has(exchange)) || byExchange.size === 0) return false;
      await this.store.deleteTopicPermissions(user, vhost, exchange);
      if (exchange === undefined) byExchange.clear();
      else byExchange.delete(exchange);
      this.version++;
      return true;
    });
  }

  /** The user is gone (its store rows went with it). */
  forgetUser(user: string): void {
    this.version++;
    this.permissions.delete(user);
    this.topicPermissions.delete(user);
  }

  forgetVhost(vhost: string): Promise<void> {
    return this.serialised(async () => {
      await this.store.forgetVhost(vhost);
      this.version++;
      for (const byVhost of this.permissions.values()) byVhost.delete(vhost);
      for (const byVhost of this.topicPermissions.values()) byVhost.delete(vhost);
    });
  }

  // ---- internals -----------------------------------------------------------

  private assertKnown(user: string, vhost: string): void {
    if (!this.known.userExists(user)) throw preconditionFailed(`vhost_or_user_not_found: no user '${user}'`);
    if (!this.known.vhostExists(vhost)) throw preconditionFailed(`vhost_or_user_not_found: no vhost '${vhost}'`);
  }

  private apply(record: PermissionRecord, compiled = compilePermission(record)): void {
    this.version++;
    let byVhost = this.permissions.get(record.user);
    if (!byVhost) this.permissions.set(record.user, (byVhost = new Map()));
    byVhost.set(record.vhost, compiled);
  }

  private applyTopic(record: TopicPermissionRecord, compiled = compileTopicPermission(record)): void {
    this.version++;
    let byVhost = this.topicPermissions.get(record.user);
    if (!byVhost) this.topicPermissions.set(record.user, (byVhost = new Map()));
    let byExchange = byVhost.get(record.vhost);
    if (!byExchange) byVhost.set(record.vhost, (byExchange = new Map()));
    byExchange.set(record.exchange, compiled);
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.serial.then(work);
    this.serial = result.catch(() => undefined);
    return result;
  }
}

function matches(record: { user: string; vhost: string }, filter: { user?: string; vhost?: string }): boolean {
  return (filter.user === undefined || record.user === filter.user) && (filter.vhost === undefined || record.vhost === filter.vhost);
}

function compilePermission(record: PermissionRecord): CompiledPermission {
  return { record, configure: compile(record.configure), write: compile(record.write), read: compile(record.read) };
}

/**
 * Topic permissions may name {username} and {vhost}, replaced as plain text
 * before compiling, as RabbitMQ does. Both are fixed for a (user, vhost) entry,
 * so each expression is expanded and compiled once.
 */
function compileTopicPermission(record: TopicPermissionRecord): CompiledTopicPermission {
  const expanded = (pattern: string): RegExp => {
    compile(pattern);
    const text = pattern.split('{username}').join(record.user).split('{vhost}').join(record.vhost);
    // A name with regex syntax in it can break the expanded expression: it then matches nothing.
    try {
      return compile(text);
    } catch {
      return MATCHES_NOTHING;
    }
  };
  return { record, write: expanded(record.write), read: expanded(record.read) };
}

const MATCHES_NOTHING = /(?!)/;

/**
 * Unanchored, as PCRE's re:run in RabbitMQ; an empty expression matches only
 * the empty name ("^$"), so "" means "nothing" for anything with a name.
 */
export function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern === '' ? '^$' : pattern);
  } catch (error) {
    throw preconditionFailed(`invalid regular expression '${pattern}': ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}
