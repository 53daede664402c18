/** Logins over any protocol: credentials, loopback-only users, and the per-peer throttle. */
import { isLoopbackAddress, LoginService, normalisePeerAddress } from '../../../../src/broker/auth/login';
import { LOGIN_FAILURE_WINDOW_MS, LoginThrottle } from '../../../../src/broker/auth/login-throttle';
import { AccessFixture, accessFixture } from './support';

describe('LoginService', () => {
  let fixture: AccessFixture;
  let now: number;
  let login: LoginService;
  const attempt = (username: string, password: string, peerAddress = '192.0.2.10') => login.attempt({ username, password, peerAddress });

  beforeEach(async () => {
    fixture = await accessFixture();
    await fixture.users.put('guest', { password: 'guest', tags: ['administrator'] });
    await fixture.users.put('app', { password: 'secret', tags: [] });
    now = 1_000_000;
    login = new LoginService(fixture.users, new LoginThrottle(3, () => now), ['guest']);
  });

  it('lets a user in with the right password', () => {
    expect(attempt('app', 'secret')).toEqual({ user: { name: 'app', tags: [] } });
  });

  it('refuses wrong credentials with the reason for the log', () => {
    expect(attempt('app', 'wrong')).toEqual({ refused: "user 'app' - invalid credentials", cause: 'credentials' });
  });

  describe('loopback users (guest by default)', () => {
    it.each(['127.0.0.1', '127.10.20.30', '::1', '::ffff:127.0.0.1'])('may log in from %s', (address) => {
      expect(attempt('guest', 'guest', address)).toEqual({ user: { name: 'guest', tags: ['administrator'] } });
    });

    it.each(['192.0.2.10', '::ffff:192.0.2.10', 'fd00::2', '10.0.0.1'])("are refused from %s with RabbitMQ's reason", (address) => {
      expect(attempt('guest', 'guest', address)).toEqual({ refused: "user 'guest' can only connect via localhost", cause: 'loopback' });
    });

    it('are told about a wrong password first, wherever they come from', () => {
      expect(attempt('guest', 'wrong')).toMatchObject({ cause: 'credentials' });
    });

    it('are nobody when the list is empty', () => {
      const everywhere = new LoginService(fixture.users, new LoginThrottle(0), []);
      expect(everywhere.attempt({ username: 'guest', password: 'guest', peerAddress: '192.0.2.10' })).toMatchObject({ user: { name: 'guest' } });
    });
  });

  describe('throttling per peer address', () => {
    it('refuses every login from a peer after the limit of failures, until the minute is over', () => {
      for (let i = 0; i < 3; i++) expect(attempt('app', 'guess' + i)).toMatchObject({ cause: 'credentials' });
      expect(attempt('app', 'secret')).toEqual({ refused: expect.stringMatching(/too many failed logins from 192\.0\.2\.10; refused for another 60 s/), cause: 'throttled' });
      now += LOGIN_FAILURE_WINDOW_MS - 1;
      expect(attempt('app', 'secret')).toMatchObject({ cause: 'throttled', refused: expect.stringContaining('another 1 s') });
      now += 1;
      expect(attempt('app', 'secret')).toEqual({ user: { name: 'app', tags: [] } });
    });

    it('counts each peer on its own', () => {
      for (let i = 0; i < 3; i++) attempt('app', 'guess', '192.0.2.10');
      expect(attempt('app', 'secret', '192.0.2.11')).toMatchObject({ user: { name: 'app' } });
    });

    it('does not count successful logins', () => {
      for (let i = 0; i < 10; i++) expect(attempt('app', 'secret')).toMatchObject({ user: { name: 'app' } });
    });

    it('forgets old failures: the window starts at the first failure', () => {
      attempt('app', 'x');
      attempt('app', 'x');
      now += LOGIN_FAILURE_WINDOW_MS;
      attempt('app', 'x');
      attempt('app', 'x');
      expect(attempt('app', 'secret')).toMatchObject({ user: { name: 'app' } });
    });

    it('is off with a limit of 0', () => {
      const unthrottled = new LoginService(fixture.users, new LoginThrottle(0, () => now), []);
      for (let i = 0; i < 100; i++) unthrottled.attempt({ username: 'app', password: 'x', peerAddress: 'p' });
      expect(unthrottled.attempt({ username: 'app', password: 'secret', peerAddress: 'p' })).toMatchObject({ user: { name: 'app' } });
    });

    it('keeps memory bounded under failures from very many addresses', () => {
      const throttle = new LoginThrottle(1, () => now);
      for (let i = 0; i < 25_000; i++) throttle.failed(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
      expect((throttle as unknown as { peers: Map<string, unknown> }).peers.size).toBeLessThanOrEqual(10_000);
      expect(throttle.blockedFor('10.0.97.167')).toBeGreaterThan(0);
    });
  });

  it('tells loopback addresses from others', () => {
    expect(['127.0.0.1', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.2'].every(isLoopbackAddress)).toBe(true);
    expect(['128.0.0.1', '1127.0.0.1', '::2', 'fe80::1', '::ffff:10.0.0.1', '', 'localhost'].some(isLoopbackAddress)).toBe(false);
  });
});

describe('normalisePeerAddress', () => {
  it('writes an IPv4-mapped IPv6 address as IPv4, so both spellings are one peer', () => {
    expect(normalisePeerAddress('::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(normalisePeerAddress('192.0.2.10')).toBe('192.0.2.10');
    expect(normalisePeerAddress('fd00::2')).toBe('fd00::2');
    expect(normalisePeerAddress(undefined)).toBe('');
  });
});
