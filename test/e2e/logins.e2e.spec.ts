/**
 * Logins as an operator meets them, on Warren run as a process: the configured
 * user created on first start only, guest refused from anywhere but loopback
 * (LOOPBACK_USERS), one log line per refused login without secrets, and failed
 * logins throttled per peer address, over AMQP and HTTP alike.
 */
import * as amqp from 'amqplib';
import { networkInterfaces } from 'os';
import { BrokerProcess, startBroker } from '../support/broker-process';
import { useTestDatabase } from '../support/test-database';
import { adminApi } from './support/admin-api';

jest.setTimeout(240000);

/** An address of this machine that is not loopback: connecting to it makes a non-loopback peer. */
function externalAddress(): string {
  const address = Object.values(networkInterfaces()).flat().find((a) => a && !a.internal && a.family === 'IPv4')?.address;
  if (!address) throw new Error('this test needs a network interface with a non-loopback IPv4 address');
  return address;
}

const connect = (broker: BrokerProcess, host: string, username: string, password: string) =>
  amqp.connect({ protocol: 'amqp', hostname: host, port: broker.amqpPort, username, password, vhost: '/' });

/** The broker's JSON log lines that match. */
const lines = (broker: BrokerProcess, pattern: RegExp) => broker.output().split('\n').filter((line) => pattern.test(line));

/** The lines that match once there are `count` of them: the log comes through a pipe, a little after the event. */
async function logged(broker: BrokerProcess, pattern: RegExp, count: number): Promise<string[]> {
  const deadline = Date.now() + 10000;
  while (lines(broker, pattern).length < count && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
  return lines(broker, pattern);
}

describe('logins', () => {
  const database = useTestDatabase();
  const external = externalAddress();

  describe('with the defaults (guest/guest, LOOPBACK_USERS=guest)', () => {
    let broker: BrokerProcess;
    beforeAll(async () => {
      broker = await startBroker({ DATABASE_URL: database.url, LOGIN_FAILURES_PER_MINUTE: '3' });
    });
    afterAll(() => broker?.stop());

    it('creates guest on first start and says so', async () => {
      expect(lines(broker, /no users yet: created 'guest'/)).toHaveLength(1);
      await (await connect(broker, '127.0.0.1', 'guest', 'guest')).close();
    });

    it("refuses guest from a non-loopback address over AMQP and HTTP, with RabbitMQ's reason in the log", async () => {
      await expect(connect(broker, external, 'guest', 'guest')).rejects.toThrow(/ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN/);
      const http = await adminApi(() => broker.httpPort, undefined, external).call('GET', '/api/overview');
      expect(http).toEqual({ status: 401, body: { error: 'not_authorised', reason: 'User can only log in via localhost' } });
      const refusals = await logged(broker, new RegExp(`login refused: user 'guest' from ${external.replace(/\./g, '\\.')}:`), 2);
      expect(refusals).toHaveLength(2);
      for (const line of refusals) expect(JSON.parse(line).message).toMatch(/^login refused: user 'guest' from \S+:\d+ \((PLAIN|HTTP Basic)\): user 'guest' can only connect via localhost$/);
    });

    it('logs one line per refused login with user, peer, mechanism and reason, and never a password or hash', async () => {
      const admin = adminApi(() => broker.httpPort);
      await admin.putUser('logged', 'the-real-password-42');
      await admin.permit('/', 'logged', { configure: '', write: '', read: '' });
      await expect(connect(broker, '127.0.0.1', 'logged', 'a-wrong-password-17')).rejects.toThrow(/ACCESS_REFUSED/);
      expect((await admin.call('GET', '/api/overview', undefined, { user: 'logged', password: 'another-wrong-one-99' })).status).toBe(401);
      await (await connect(broker, '127.0.0.1', 'logged', 'the-real-password-42')).close();
      const refusals = (await logged(broker, /login refused: user 'logged'/, 2)).map((line) => JSON.parse(line));
      expect(refusals.map((r) => r.message)).toEqual([
        expect.stringMatching(/^login refused: user 'logged' from 127\.0\.0\.1:\d+ \(PLAIN\): user 'logged' - invalid credentials$/),
        expect.stringMatching(/^login refused: user 'logged' from 127\.0\.0\.1:\d+ \(HTTP Basic\): user 'logged' - invalid credentials$/),
      ]);
      expect(refusals.every((r) => r.level === 'warn')).toBe(true);
      const hash = ((await admin.ok('GET', '/api/users/logged')) as { password_hash: string }).password_hash;
      for (const secret of ['the-real-password-42', 'a-wrong-password-17', 'another-wrong-one-99', hash]) expect(broker.output()).not.toContain(secret);
    });

    it('throttles a peer after the failures allowed per minute, over AMQP and HTTP, and no other peer', async () => {
      const admin = adminApi(() => broker.httpPort);
      await admin.putUser('remote', 'remote-secret', 'management');
      await admin.permit('/', 'remote', { configure: '', write: '', read: '' });
      const fromOutside = adminApi(() => broker.httpPort, { user: 'remote', password: 'remote-secret' }, external);
      expect((await fromOutside.call('GET', '/api/whoami')).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await fromOutside.call('GET', '/api/whoami', undefined, { user: 'remote', password: `guess-${i}` })).status).toBe(401);
      const throttled = await fromOutside.call('GET', '/api/whoami');
      expect(throttled).toEqual({ status: 429, body: { error: 'too_many_requests', reason: expect.stringContaining('Too many failed logins') } });
      await expect(connect(broker, external, 'remote', 'remote-secret')).rejects.toThrow(/ACCESS_REFUSED/);
      expect(await logged(broker, /login refused: user 'remote' from \S+ \(PLAIN\): too many failed logins from \S+; refused for another \d+ s/, 1)).toHaveLength(1);
      // Loopback is another peer.
      expect((await admin.call('GET', '/api/whoami', undefined, { user: 'remote', password: 'remote-secret' })).status).toBe(200);
    });
  });

  describe('with DEFAULT_USER set and LOOPBACK_USERS empty (as docker-compose.yml runs it)', () => {
    const other = useTestDatabase();
    const env = () => ({ DATABASE_URL: other.url, DEFAULT_USER: 'ops', DEFAULT_PASS: 'ops-secret', LOOPBACK_USERS: '' });

    it('creates that user instead of guest, lets it in from anywhere, and does not recreate it on the next start', async () => {
      let broker = await startBroker(env());
      try {
        await (await connect(broker, external, 'ops', 'ops-secret')).close();
        await expect(connect(broker, '127.0.0.1', 'guest', 'guest')).rejects.toThrow(/ACCESS_REFUSED/);
        expect(await adminApi(() => broker.httpPort, { user: 'ops', password: 'ops-secret' }, external).ok('GET', '/api/whoami')).toEqual({ name: 'ops', tags: ['administrator'] });
        await adminApi(() => broker.httpPort, { user: 'ops', password: 'ops-secret' }).putUser('ops', 'changed-secret', 'administrator');
      } finally {
        await broker.stop();
      }
      broker = await startBroker({ ...env(), DEFAULT_PASS: 'yet-another' });
      try {
        expect(lines(broker, /no users yet/)).toEqual([]);
        await (await connect(broker, '127.0.0.1', 'ops', 'changed-secret')).close();
        await expect(connect(broker, '127.0.0.1', 'ops', 'yet-another')).rejects.toThrow(/ACCESS_REFUSED/);
      } finally {
        await broker.stop();
      }
    });
  });
});
