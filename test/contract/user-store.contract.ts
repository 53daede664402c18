/**
 * The contract every UserStore keeps (users, permissions, topic permissions) and
 * every VhostLimitStore, run against each implementation so they cannot drift.
 * `fresh` gives an empty store; `createVhost` makes a vhost exist where the store
 * needs it to (PostgreSQL's foreign keys).
 */
import type { PermissionRecord, TopicPermissionRecord, UserRecord, UserStore } from '../../src/broker/ports/user-store';
import type { VhostLimitStore } from '../../src/broker/ports/vhost-limit-store';

export interface UserStoreSetup {
  store: UserStore;
  createVhost(name: string): Promise<void>;
}

const user = (name: string, overrides: Partial<UserRecord> = {}): UserRecord => ({
  name, passwordHash: 'B3KOWfwplDewkvJlQEVg3FbmQYTO+gIhp/0yBaMfnrpGeKJX', hashingAlgorithm: 'rabbit_password_hashing_sha256', tags: ['administrator'], ...overrides,
});
const permission = (userName: string, vhost: string, overrides: Partial<PermissionRecord> = {}): PermissionRecord => ({
  user: userName, vhost, configure: '.*', write: '^a$', read: '', ...overrides,
});
const topic = (userName: string, vhost: string, exchange: string, overrides: Partial<TopicPermissionRecord> = {}): TopicPermissionRecord => ({
  user: userName, vhost, exchange, write: '^{username}\\.', read: '.*', ...overrides,
});
const sorted = <T>(items: T[]) => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

export function userStoreContract(fresh: () => Promise<UserStoreSetup>): void {
  let store: UserStore;
  let createVhost: (name: string) => Promise<void>;
  beforeEach(async () => {
    ({ store, createVhost } = await fresh());
    await createVhost('v1');
  });

  it('starts empty', async () => {
    expect(await store.load()).toStrictEqual({ users: [], permissions: [], topicPermissions: [] });
  });

  it('saves users with every field, and saving again replaces them', async () => {
    await store.saveUser(user('a'));
    await store.saveUser(user('b é', { passwordHash: '', hashingAlgorithm: 'rabbit_password_hashing_md5', tags: [] }));
    await store.saveUser(user('a', { tags: ['monitoring', 'custom'] }));
    expect(sorted((await store.load()).users)).toStrictEqual(sorted([
      user('a', { tags: ['monitoring', 'custom'] }),
      user('b é', { passwordHash: '', hashingAlgorithm: 'rabbit_password_hashing_md5', tags: [] }),
    ]));
  });

  it('saves permissions and topic permissions per user and vhost, replacing on a second save', async () => {
    await store.saveUser(user('a'));
    await store.savePermission(permission('a', '/'));
    await store.savePermission(permission('a', 'v1'));
    await store.savePermission(permission('a', '/', { read: '.*' }));
    await store.saveTopicPermission(topic('a', '/', 'amq.topic'));
    await store.saveTopicPermission(topic('a', '/', 'events'));
    await store.saveTopicPermission(topic('a', '/', 'amq.topic', { read: '^x$' }));
    const loaded = await store.load();
    expect(sorted(loaded.permissions)).toStrictEqual(sorted([permission('a', '/', { read: '.*' }), permission('a', 'v1')]));
    expect(sorted(loaded.topicPermissions)).toStrictEqual(sorted([topic('a', '/', 'amq.topic', { read: '^x$' }), topic('a', '/', 'events')]));
  });

  it('deletes a permission, and topic permissions of one exchange or all', async () => {
    await store.saveUser(user('a'));
    await store.savePermission(permission('a', '/'));
    await store.savePermission(permission('a', 'v1'));
    for (const exchange of ['x', 'y']) await store.saveTopicPermission(topic('a', '/', exchange));
    await store.saveTopicPermission(topic('a', 'v1', 'x'));
    await store.deletePermission('a', '/');
    await store.deletePermission('a', 'never');
    await store.deleteTopicPermissions('a', '/', 'x');
    let loaded = await store.load();
    expect(loaded.permissions).toStrictEqual([permission('a', 'v1')]);
    expect(sorted(loaded.topicPermissions)).toStrictEqual(sorted([topic('a', '/', 'y'), topic('a', 'v1', 'x')]));
    await store.deleteTopicPermissions('a', '/');
    loaded = await store.load();
    expect(loaded.topicPermissions).toStrictEqual([topic('a', 'v1', 'x')]);
  });

  it('deleting a user takes its permissions and topic permissions, and only its', async () => {
    await store.saveUser(user('a'));
    await store.saveUser(user('b'));
    for (const name of ['a', 'b']) {
      await store.savePermission(permission(name, '/'));
      await store.saveTopicPermission(topic(name, '/', 'x'));
    }
    await store.deleteUser('a');
    await store.deleteUser('never');
    expect(await store.load()).toStrictEqual({ users: [user('b')], permissions: [permission('b', '/')], topicPermissions: [topic('b', '/', 'x')] });
  });

  it('forgetting a vhost takes every permission in it, and only in it', async () => {
    await store.saveUser(user('a'));
    for (const vhost of ['/', 'v1']) {
      await store.savePermission(permission('a', vhost));
      await store.saveTopicPermission(topic('a', vhost, 'x'));
    }
    await store.forgetVhost('v1');
    const loaded = await store.load();
    expect(loaded.permissions).toStrictEqual([permission('a', '/')]);
    expect(loaded.topicPermissions).toStrictEqual([topic('a', '/', 'x')]);
  });

  it('refuses permissions for a user it does not hold', async () => {
    await expect(store.savePermission(permission('ghost', '/'))).rejects.toThrow();
    await expect(store.saveTopicPermission(topic('ghost', '/', 'x'))).rejects.toThrow();
    expect(await store.load()).toStrictEqual({ users: [], permissions: [], topicPermissions: [] });
  });

  it('hands out copies: changing a loaded or saved record changes nothing stored', async () => {
    const record = user('a', { tags: ['x'] });
    await store.saveUser(record);
    record.tags.push('after');
    const loaded = await store.load();
    loaded.users[0].tags.push('loaded');
    expect((await store.load()).users).toStrictEqual([user('a', { tags: ['x'] })]);
  });
}

export function vhostLimitStoreContract(fresh: () => Promise<{ store: VhostLimitStore; createVhost(name: string): Promise<void> }>): void {
  let store: VhostLimitStore;
  beforeEach(async () => {
    const setup = await fresh();
    store = setup.store;
    await setup.createVhost('v1');
  });

  it('starts empty, saves per vhost, replaces on save, and clears with an empty object', async () => {
    expect(await store.load()).toEqual(new Map());
    await store.save('/', { 'max-queues': 10, 'max-connections': 0 });
    await store.save('v1', { 'max-connections': -1 });
    await store.save('/', { 'max-queues': 2 ** 40 });
    expect(await store.load()).toEqual(new Map([['/', { 'max-queues': 2 ** 40 }], ['v1', { 'max-connections': -1 }]]));
    await store.save('/', {});
    expect(await store.load()).toEqual(new Map([['v1', { 'max-connections': -1 }]]));
  });
}
