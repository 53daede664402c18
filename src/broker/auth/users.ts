/**
 * The broker's users, checked by AMQP login (PLAIN, AMQPLAIN) and HTTP Basic auth.
 * For now there is one, from DEFAULT_USER / DEFAULT_PASS; it may use every vhost.
 */
import { timingSafeEqual } from 'crypto';

export interface User {
  name: string;
  tags: string[];
}

interface Credentials extends User {
  password: Buffer;
}

export class UserDirectory {
  private readonly users = new Map<string, Credentials>();

  add(name: string, password: string, tags: string[] = ['administrator']): void {
    this.users.set(name, { name, tags, password: Buffer.from(password, 'utf8') });
  }

  /** The user when name and password match, otherwise undefined; compares in constant time. */
  authenticate(name: string, password: string): User | undefined {
    const user = this.users.get(name);
    const given = Buffer.from(password, 'utf8');
    if (!user || user.password.length !== given.length || !timingSafeEqual(user.password, given)) return undefined;
    return { name: user.name, tags: user.tags };
  }

  list(): User[] {
    return [...this.users.values()].map(({ name, tags }) => ({ name, tags }));
  }
}
