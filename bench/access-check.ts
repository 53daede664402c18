/**
 * What the permission check costs a publish: ResourceAccess.publish for a user
 * with permissions, with and without topic permissions, to a direct and a topic
 * exchange. Run: node -r ./scripts/register-ts.js bench/access-check.ts
 */
import { AccessPolicy } from '../src/broker/auth/access-policy';
import { PermissionService } from '../src/broker/auth/permissions';
import { MemoryUserStore } from '../src/store/memory/memory-user-store';
(async () => {
  const store = new MemoryUserStore();
  await store.saveUser({ name: 'app', passwordHash: '', hashingAlgorithm: 'rabbit_password_hashing_sha256', tags: [] });
  const permissions = new PermissionService(store, { permissions: [], topicPermissions: [] }, { userExists: () => true, vhostExists: () => true });
  await permissions.set({ user: 'app', vhost: '/', configure: '^app\\.', write: '^app\\.|^amq\\.topic$', read: '^app\\.' });
  const types = new Map([['amq.topic', 'topic'], ['app.x', 'direct']]);
  const policy = new AccessPolicy(permissions, { vhostExists: () => true, exchangeType: (_v, x) => types.get(x) });
  const access = policy.resources('app', '/');
  for (const [label, setup] of [['no topic permissions', async () => undefined], ['with topic permissions', async () => permissions.setTopic({ user: 'app', vhost: '/', exchange: 'amq.topic', write: '^{username}\\.', read: '.*' })]] as const) {
    await setup();
    for (const exchange of ['app.x', 'amq.topic']) {
      const n = 2_000_000;
      for (let i = 0; i < 100_000; i++) access.publish(exchange, 'app.orders.new');
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) access.publish(exchange, 'app.orders.new');
      const ns = Number(process.hrtime.bigint() - start) / n;
      console.log(`${label}, publish to ${exchange}: ${ns.toFixed(0)} ns per check`);
    }
  }
})();
