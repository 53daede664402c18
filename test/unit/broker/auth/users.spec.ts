/** The users behind AMQP login and HTTP Basic auth: RabbitMQ's put_user semantics, written through the store. */
import { UserService, parseTags } from '../../../../src/broker/auth/users';
import { PermissionService } from '../../../../src/broker/auth/permissions';
import { ConnectionEvictions } from '../../../../src/broker/events/connection-evictions';
import { MemoryUserStore } from '../../../../src/store/memory/memory-user-store';
import { AccessFixture, accessFixture } from './support';

describe('UserService', () => {
  let fixture: AccessFixture;
  let users: UserService;
  beforeEach(async () => {
    fixture = await accessFixture();
    users = fixture.users;
    await users.put('guest', { password: 'guest', tags: ['administrator'] });
    await users.put('ops', { password: 'pässwörd', tags: ['monitoring'] });
  });

  it('authenticates a user whose password matches, with its tags', () => {
    expect(users.authenticate('guest', 'guest')).toEqual({ user: { name: 'guest', tags: ['administrator'] } });
    expect(users.authenticate('ops', 'pässwörd')).toEqual({ user: { name: 'ops', tags: ['monitoring'] } });
  });

  it.each([
    ['a wrong password of the same length', 'guest', 'guesT'],
    ['a longer password', 'guest', 'guest1'],
    ['a shorter password', 'guest', 'gues'],
    ['an unknown user', 'nobody', 'guest'],
    ['a name in another case', 'Guest', 'guest'],
    ['the same characters in another normalisation', 'ops', 'pa\u0308sswörd'],
  ])("refuses %s with RabbitMQ's reason", (_, name, password) => {
    expect(users.authenticate(name, password)).toEqual({ refused: `user '${name}' - invalid credentials` });
  });

  it('refuses a blank password, even for a user created without one', async () => {
    await users.put('nopass', { tags: [] });
    expect(users.authenticate('nopass', '')).toEqual({ refused: expect.stringContaining('blank password') });
    expect(users.authenticate('nopass', 'anything')).toEqual({ refused: "user 'nopass' - invalid credentials" });
  });

  it('keeps only a salted hash, never the password', async () => {
    const stored = (await fixture.store.load()).users.find((u) => u.name === 'ops')!;
    expect(stored).toEqual({ name: 'ops', passwordHash: expect.any(String), hashingAlgorithm: 'rabbit_password_hashing_sha256', tags: ['monitoring'] });
    expect(JSON.stringify(stored)).not.toContain('pässwörd');
    expect(Buffer.from(stored.passwordHash, 'base64')).toHaveLength(36);
  });

  it('takes a hash as RabbitMQ exports it, with its algorithm', async () => {
    const outcome = await users.put('imported', {
      passwordHash: 'yv4AAZSd5wO6cjD4cY0IuGAeOJoJERJZFRGQ71XxQ0xtWdylaNqQew0O8lmlaKel6KXb41iCTThL/6CrdRUa2SMJG+0=',
      hashingAlgorithm: 'rabbit_password_hashing_sha512',
      tags: ['management'],
    });
    expect(outcome).toBe('created');
    expect(users.authenticate('imported', 'sha512-secret')).toEqual({ user: { name: 'imported', tags: ['management'] } });
  });

  it('replaces a user put again: "updated", new password, new tags', async () => {
    expect(await users.put('guest', { password: 'new', tags: ['management'] })).toBe('updated');
    expect(users.authenticate('guest', 'guest')).toEqual({ refused: expect.any(String) });
    expect(users.authenticate('guest', 'new')).toEqual({ user: { name: 'guest', tags: ['management'] } });
  });

  it('clears the password of a user put again without one, as RabbitMQ does', async () => {
    await users.put('ops', { tags: ['monitoring'] });
    expect(users.authenticate('ops', 'pässwörd')).toEqual({ refused: expect.any(String) });
    expect(users.get('ops')!.passwordHash).toBe('');
  });

  it.each([
    ['both a password and a hash', { password: 'x', passwordHash: 'AAAA', tags: [] }, /both_password_and_password_hash_are_provided/],
    ['a hash that is not base64', { passwordHash: 'not base64!', tags: [] }, /password_hash must be base64/],
  ])('refuses %s, changing nothing', async (_, change, reason) => {
    expect(() => users.put('bad', change)).toThrow(reason);
    expect(users.has('bad')).toBe(false);
  });

  it('lists users sorted by name, with copies that do not write back', () => {
    const listed = users.list();
    expect(listed.map((u) => u.name)).toEqual(['guest', 'ops']);
    listed[0].tags.push('changed');
    expect(users.get('guest')!.tags).toEqual(['administrator']);
  });

  it('deletes a user with its permissions, and evicts its connections', async () => {
    await fixture.permissions.set({ user: 'ops', vhost: '/', configure: '.*', write: '.*', read: '.*' });
    await fixture.permissions.setTopic({ user: 'ops', vhost: '/', exchange: 'amq.topic', write: '.*', read: '.*' });
    expect(await users.delete('ops')).toBe(true);
    expect(users.has('ops')).toBe(false);
    expect(fixture.permissions.of('ops', '/')).toBeUndefined();
    expect(fixture.permissions.topicOf('ops', '/', 'amq.topic')).toBeUndefined();
    expect(await fixture.store.load()).toMatchObject({ permissions: [], topicPermissions: [] });
    expect(fixture.evictions).toEqual([{ user: 'ops', reason: "user 'ops' is deleted" }]);
    expect(await users.delete('ops')).toBe(false);
  });

  it('writes to the store before memory: a failed write changes nothing', async () => {
    fixture.store.saveUser = () => Promise.reject(new Error('database down'));
    await expect(users.put('later', { password: 'x', tags: [] })).rejects.toThrow('database down');
    expect(users.has('later')).toBe(false);
  });

  describe('the default user', () => {
    it('is created on first start, as an administrator with full permissions on the default vhost', async () => {
      const fresh = await accessFixture();
      expect(await fresh.users.ensureDefaultUser('admin', 'secret', '/', true)).toBe(true);
      expect(fresh.users.authenticate('admin', 'secret')).toEqual({ user: { name: 'admin', tags: ['administrator'] } });
      expect(fresh.permissions.list()).toEqual([{ user: 'admin', vhost: '/', configure: '.*', write: '.*', read: '.*' }]);
    });

    it('is not created when any user exists', async () => {
      expect(await users.ensureDefaultUser('admin', 'secret', '/', true)).toBe(false);
      expect(users.has('admin')).toBe(false);
    });

    it('is loaded back, not recreated, from the store on the next start', async () => {
      const snapshot = await fixture.store.load();
      const permissions = new PermissionService(fixture.store, snapshot, { userExists: () => true, vhostExists: () => true });
      const restarted = new UserService(fixture.store, snapshot.users, permissions, new ConnectionEvictions());
      expect(await restarted.ensureDefaultUser('guest', 'other', '/', true)).toBe(false);
      expect(restarted.authenticate('guest', 'guest')).toEqual({ user: { name: 'guest', tags: ['administrator'] } });
    });
  });

  it('parses tags as RabbitMQ does: comma-separated or a list, trimmed, without empties or repeats', () => {
    expect(parseTags('administrator, monitoring,,management ')).toEqual(['administrator', 'monitoring', 'management']);
    expect(parseTags(['policymaker', ' policymaker', 'custom'])).toEqual(['policymaker', 'custom']);
    expect(parseTags('')).toEqual([]);
    expect(parseTags(undefined)).toEqual([]);
  });

  it('works over a store of its own too', async () => {
    const store = new MemoryUserStore();
    const permissions = new PermissionService(store, { permissions: [], topicPermissions: [] }, { userExists: () => true, vhostExists: () => true });
    const own = new UserService(store, [], permissions, new ConnectionEvictions());
    await own.put('a', { password: 'b', tags: [] });
    expect((await store.load()).users.map((u) => u.name)).toEqual(['a']);
  });
});
