/**
 * A login over any protocol: throttled per peer address, checked against the
 * users, and refused for RabbitMQ's loopback_users (guest by default) unless it
 * comes from the machine itself. The refusal carries the reason for the log;
 * clients are told less (see each edge).
 */
import type { LoginThrottle } from './login-throttle';
import type { User, UserService } from './users';

export interface LoginAttempt {
  username: string;
  password: string;
  /** The peer's IP address as the socket reports it (IPv4, IPv6, or IPv4-mapped IPv6). */
  peerAddress: string;
}

/** Why a login was refused: the edges word their answers by it. */
export type RefusalCause = 'credentials' | 'loopback' | 'throttled';

export type LoginResult = { user: User } | { refused: string; cause: RefusalCause };

export class LoginService {
  constructor(
    private readonly users: UserService,
    private readonly throttle: LoginThrottle,
    /** RabbitMQ's loopback_users: who may log in only from loopback addresses. */
    private readonly loopbackUsers: readonly string[],
  ) {}

  attempt({ username, password, peerAddress }: LoginAttempt): LoginResult {
    const wait = this.throttle.blockedFor(peerAddress);
    if (wait > 0) {
      return { refused: `too many failed logins from ${peerAddress}; refused for another ${Math.ceil(wait / 1000)} s`, cause: 'throttled' };
    }
    const outcome = this.users.authenticate(username, password);
    if ('refused' in outcome) {
      this.throttle.failed(peerAddress);
      return { refused: outcome.refused, cause: 'credentials' };
    }
    if (this.loopbackUsers.includes(username) && !isLoopbackAddress(peerAddress)) {
      return { refused: `user '${username}' can only connect via localhost`, cause: 'loopback' };
    }
    return outcome;
  }
}

/**
 * An IPv4 peer on a dual-stack listener shows as ::ffff:a.b.c.d; written as
 * a.b.c.d, the same client is one peer (and one log spelling) on every listener.
 */
export function normalisePeerAddress(address: string | undefined): string {
  if (!address) return '';
  return /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(address) ? address.slice('::ffff:'.length) : address;
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms, as rabbit_net:is_loopback. */
export function isLoopbackAddress(address: string): boolean {
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4)) return true;
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(address) || address === '::1';
}
