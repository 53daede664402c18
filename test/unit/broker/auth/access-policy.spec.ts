/**
 * The one place that decides: RabbitMQ's resource checks per operation, with its
 * reply texts, topic permissions, vhost access, and the management tags.
 */
import type { ResourceAccess } from '../../../../src/broker/auth/access-policy';
import { BrokerError } from '../../../../src/broker/errors';
import { AccessFixture, accessFixture } from './support';

/** The error a check throws, as "NAME - detail", or 'ok'. */
function outcome(check: () => void): string {
  try {
    check();
    return 'ok';
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    return error.replyText;
  }
}

const refused = (what: string, user = 'app') => `ACCESS_REFUSED - access to ${what} in vhost '/' refused for user '${user}'`;

describe('AccessPolicy', () => {
  let fixture: AccessFixture;
  let app: ResourceAccess;

  beforeEach(async () => {
    fixture = await accessFixture();
    for (const name of ['app', 'admin', 'monitor', 'mgmt', 'policy', 'plain', 'both']) await fixture.users.put(name, { password: 'p', tags: [] });
    await fixture.permissions.set({ user: 'app', vhost: '/', configure: '^app\\.', write: '^app\\.|^amq\\.topic$|^events$', read: '^app\\.|^events$|^amq\\.topic$' });
    app = fixture.policy.resources('app', '/');
  });

  describe('resources, as rabbit_channel checks them', () => {
    it.each([
      ['exchange.declare of a permitted name', () => app.declareExchange('app.x', {}, true), 'ok'],
      ['exchange.declare outside configure', () => app.declareExchange('other.x', {}, true), refused("exchange 'other.x'")],
      ['exchange.declare of an existing one still needs configure', () => app.declareExchange('other.x', {}, false), refused("exchange 'other.x'")],
      ['a new exchange with an alternate exchange needs write on it', () => app.declareExchange('app.x', { 'alternate-exchange': 'ae' }, true), refused("exchange 'ae'")],
      ['an existing exchange naming an alternate exchange is not checked for it', () => app.declareExchange('app.x', { 'alternate-exchange': 'ae' }, false), 'ok'],
      ['exchange.delete', () => app.deleteExchange('other.x'), refused("exchange 'other.x'")],
      ['queue.declare of a permitted name', () => app.declareQueue('app.q', {}, true), 'ok'],
      ['queue.declare of a server-named queue checks its generated name', () => app.declareQueue('amq.gen-abc', {}, true), refused("queue 'amq.gen-abc'")],
      ['a new queue with a dead-letter exchange needs write on it', () => app.declareQueue('app.q', { 'x-dead-letter-exchange': 'dlx' }, true), refused("exchange 'dlx'")],
      ['a dead-letter exchange of "" is the default exchange', () => app.declareQueue('app.q', { 'x-dead-letter-exchange': '' }, true), refused("exchange 'amq.default'")],
      ['queue.delete', () => app.deleteQueue('other.q'), refused("queue 'other.q'")],
      ['consume, get and purge need read', () => app.readQueue('other.q'), refused("queue 'other.q'")],
      ['read on a permitted queue', () => app.readQueue('app.q'), 'ok'],
      ['publish needs write on the exchange', () => app.publish('other.x', 'k'), refused("exchange 'other.x'")],
      ['publish to the default exchange checks amq.default', () => app.publish('', 'app.q'), refused("exchange 'amq.default'")],
      ['publish to a permitted exchange', () => app.publish('app.x', 'k'), 'ok'],
    ])('%s', (_case, check, expected) => {
      expect(outcome(check)).toBe(expected);
    });

    describe('bindings: write on the destination, read on the source', () => {
      const bind = (source: string, destination: string, destinationKind: 'queue' | 'exchange' = 'queue') =>
        () => app.bind({ source, destination, destinationKind, routingKey: 'k' });
      it.each([
        ['between permitted ends', bind('app.x', 'app.q'), 'ok'],
        ['to a queue without write', bind('app.x', 'other.q'), refused("queue 'other.q'")],
        ['from an exchange without read', bind('other.x', 'app.q'), refused("exchange 'other.x'")],
        ['to an exchange without write', bind('app.x', 'other.x', 'exchange'), refused("exchange 'other.x'")],
        ['the destination is checked before the source', bind('other.x', 'other.q'), refused("queue 'other.q'")],
        ['from the default exchange, whatever the permissions', bind('', 'app.q'), 'ACCESS_REFUSED - operation not permitted on the default exchange'],
      ])('%s', (_case, check, expected) => {
        expect(outcome(check)).toBe(expected);
      });
    });

    it('matches unanchored, as PCRE does, and "" matches nothing', async () => {
      await fixture.permissions.set({ user: 'app', vhost: '/', configure: 'mid', write: '', read: '.*' });
      expect(outcome(() => app.deleteQueue('a-mid-b'))).toBe('ok');
      expect(outcome(() => app.deleteQueue('nothing'))).toBe(refused("queue 'nothing'"));
      expect(outcome(() => app.publish('x', 'k'))).toBe(refused("exchange 'x'"));
    });

    it('applies a change of permissions to checks already handed out', async () => {
      expect(outcome(() => app.readQueue('app.q'))).toBe('ok');
      await fixture.permissions.clear('app', '/');
      expect(outcome(() => app.readQueue('app.q'))).toBe(refused("queue 'app.q'"));
    });

    it('applies a change to the exchange it last allowed a publish to', async () => {
      expect(outcome(() => app.publish('app.x', 'k'))).toBe('ok');
      expect(outcome(() => app.publish('app.x', 'k'))).toBe('ok');
      await fixture.permissions.set({ user: 'app', vhost: '/', configure: '', write: '^nothing$', read: '' });
      expect(outcome(() => app.publish('app.x', 'k'))).toBe(refused("exchange 'app.x'"));
      await fixture.permissions.set({ user: 'app', vhost: '/', configure: '', write: '.*', read: '' });
      expect(outcome(() => app.publish('app.x', 'k'))).toBe('ok');
      await fixture.users.delete('app');
      expect(outcome(() => app.publish('app.x', 'k'))).toBe(refused("exchange 'app.x'"));
    });

    it('refuses everything in a vhost where the user has no permissions', () => {
      const elsewhere = fixture.policy.resources('app', 'other');
      expect(outcome(() => elsewhere.readQueue('app.q'))).toBe("ACCESS_REFUSED - access to queue 'app.q' in vhost 'other' refused for user 'app'");
    });
  });

  describe('topic permissions', () => {
    beforeEach(async () => {
      await fixture.permissions.setTopic({ user: 'app', vhost: '/', exchange: 'amq.topic', write: '^{username}\\.', read: '^{vhost}-only$' });
    });

    it('check routing keys published to a topic exchange, with {username} and {vhost} expanded', () => {
      expect(outcome(() => app.publish('amq.topic', 'app.orders'))).toBe('ok');
      expect(outcome(() => app.publish('amq.topic', 'other.orders'))).toBe(
        "ACCESS_REFUSED - access to topic 'other.orders' in exchange 'amq.topic' in vhost '/' refused for user 'app'",
      );
    });

    it('check the routing key of a binding against read', () => {
      expect(outcome(() => app.bind({ source: 'amq.topic', destination: 'app.q', destinationKind: 'queue', routingKey: '/-only' }))).toBe('ok');
      expect(outcome(() => app.bind({ source: 'amq.topic', destination: 'app.q', destinationKind: 'queue', routingKey: 'app.#' }))).toBe(
        "ACCESS_REFUSED - access to topic 'app.#' in exchange 'amq.topic' in vhost '/' refused for user 'app'",
      );
    });

    it('allow everything on a topic exchange they do not name, and on exchanges of other types', async () => {
      expect(outcome(() => app.publish('events', 'anything'))).toBe('ok');
      await fixture.permissions.setTopic({ user: 'app', vhost: '/', exchange: 'app.direct', write: '^$', read: '^$' });
      fixture.exchangeTypes.set('/\u0000app.direct', 'direct');
      expect(outcome(() => app.publish('app.direct', 'anything'))).toBe('ok');
    });

    it('refuse an invalid regular expression when set', async () => {
      await expect(async () => fixture.permissions.setTopic({ user: 'app', vhost: '/', exchange: 'x', write: '(', read: '' })).rejects.toThrow(/invalid regular expression '\('/);
    });
  });

  describe('vhost access', () => {
    it('needs a permission entry in the vhost, else 530 NOT_ALLOWED', () => {
      expect(outcome(() => fixture.policy.assertVhostAccess('app', '/'))).toBe('ok');
      const refusal = (() => {
        try {
          fixture.policy.assertVhostAccess('app', 'other');
        } catch (error) {
          return error as BrokerError;
        }
      })()!;
      expect(refusal.code).toBe(530);
      expect(refusal.replyText).toBe("NOT_ALLOWED - access to vhost 'other' refused for user 'app'");
      expect(refusal.closesConnection).toBe(true);
    });

    it('is given by any entry, even one that permits nothing', async () => {
      await fixture.permissions.set({ user: 'plain', vhost: 'other', configure: '', write: '', read: '' });
      expect(outcome(() => fixture.policy.assertVhostAccess('plain', 'other'))).toBe('ok');
    });
  });

  describe('management tags', () => {
    const user = (name: string, tags: string[]) => ({ name, tags });
    const admin = user('admin', ['administrator']);
    const monitor = user('monitor', ['monitoring']);
    const mgmt = user('mgmt', ['management']);
    const policy = user('policy', ['policymaker']);
    const plain = user('plain', []);
    const both = user('both', ['monitoring', 'management']);

    beforeEach(async () => {
      await fixture.permissions.set({ user: 'mgmt', vhost: '/', configure: '', write: '', read: '.*' });
      await fixture.permissions.set({ user: 'policy', vhost: 'other', configure: '.*', write: '.*', read: '.*' });
      await fixture.permissions.set({ user: 'both', vhost: '/', configure: '.*', write: '.*', read: '.*' });
    });

    it('let any of the four tags in, and nobody else', () => {
      for (const who of [admin, monitor, mgmt, policy, both]) expect(outcome(() => fixture.policy.assertManagementUser(who))).toBe('ok');
      expect(outcome(() => fixture.policy.assertManagementUser(plain))).toBe('ACCESS_REFUSED - Not management user');
      expect(outcome(() => fixture.policy.assertManagementUser(user('x', ['impersonator'])))).toBe('ACCESS_REFUSED - Not management user');
    });

    it('keep administration to administrators', () => {
      expect(outcome(() => fixture.policy.assertAdministrator(admin))).toBe('ok');
      for (const who of [monitor, mgmt, policy]) expect(outcome(() => fixture.policy.assertAdministrator(who))).toBe('ACCESS_REFUSED - Not administrator user');
    });

    it('show monitoring users every vhost, and others those they have permissions in', () => {
      const all = ['/', 'other'];
      expect(fixture.policy.visibleVhosts(admin, all)).toEqual(all);
      expect(fixture.policy.visibleVhosts(monitor, all)).toEqual(all);
      expect(fixture.policy.visibleVhosts(mgmt, all)).toEqual(['/']);
      expect(fixture.policy.visibleVhosts(policy, all)).toEqual(['other']);
      expect(outcome(() => fixture.policy.assertCanSee(mgmt, 'other'))).toBe('ACCESS_REFUSED - User not authorised to access virtual host');
      expect(outcome(() => fixture.policy.assertCanSee(monitor, 'other'))).toBe('ok');
      expect(outcome(() => fixture.policy.assertCanSee(mgmt, 'no-such-vhost'))).toBe('ok');
    });

    it('let monitoring change nothing, and management change only in its vhosts', () => {
      expect(outcome(() => fixture.policy.assertCanChange(monitor, '/'))).toBe('ACCESS_REFUSED - User not authorised to change anything: monitoring is read-only');
      expect(outcome(() => fixture.policy.assertCanChange(mgmt, '/'))).toBe('ok');
      expect(outcome(() => fixture.policy.assertCanChange(both, '/'))).toBe('ok');
      expect(outcome(() => fixture.policy.assertCanChange(mgmt, 'other'))).toBe('ACCESS_REFUSED - User not authorised to access virtual host');
      expect(outcome(() => fixture.policy.assertCanChange(admin, 'other'))).toBe('ok');
    });

    it('let policymakers manage policies in their vhosts, and administrators everywhere', () => {
      expect(outcome(() => fixture.policy.assertMayManagePolicies(policy, 'other'))).toBe('ok');
      expect(outcome(() => fixture.policy.assertMayManagePolicies(policy, '/'))).toBe('ACCESS_REFUSED - User not authorised to access object');
      expect(outcome(() => fixture.policy.assertMayManagePolicies(mgmt, '/'))).toBe('ACCESS_REFUSED - User not authorised to access object');
      expect(outcome(() => fixture.policy.assertMayManagePolicies(admin, '/'))).toBe('ok');
    });

    it('hold non-administrators over HTTP to their AMQP permissions; administrators are not checked', () => {
      expect(outcome(() => fixture.policy.httpResources(mgmt, '/').deleteQueue('q'))).toBe(refused("queue 'q'", 'mgmt'));
      expect(outcome(() => fixture.policy.httpResources(mgmt, '/').readQueue('q'))).toBe('ok');
      expect(outcome(() => fixture.policy.httpResources(admin, '/').deleteQueue('q'))).toBe('ok');
    });
  });
});
