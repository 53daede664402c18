/** Vhost limits as rabbit_vhost_limit: validation, negative means none, 0 means nothing allowed, RabbitMQ's errors. */
import { BrokerError } from '../../../../src/broker/errors';
import { VhostLimits } from '../../../../src/broker/vhosts/vhost-limits';
import { MemoryVhostLimitStore } from '../../../../src/store/memory/memory-vhost-limit-store';

function refusal(check: () => void): BrokerError | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return error as BrokerError;
  }
}

describe('VhostLimits', () => {
  let store: MemoryVhostLimitStore;
  let limits: VhostLimits;
  beforeEach(async () => {
    store = new MemoryVhostLimitStore();
    limits = new VhostLimits(store, await store.load());
  });

  it('refuses the connection that would go over max-connections with 530 and RabbitMQ\'s text', async () => {
    await limits.set('v', 'max-connections', 2);
    expect(refusal(() => limits.assertCanConnect('v', 'u', 1))).toBeUndefined();
    const error = refusal(() => limits.assertCanConnect('v', 'u', 2))!;
    expect(error.code).toBe(530);
    expect(error.replyText).toBe("NOT_ALLOWED - access to vhost 'v' refused for user 'u': connection limit (2) is reached");
  });

  it('refuses the queue that would go over max-queues with 406 and RabbitMQ\'s text', async () => {
    await limits.set('v', 'max-queues', 1);
    expect(refusal(() => limits.assertCanAddQueue('v', 'q1', 0))).toBeUndefined();
    const error = refusal(() => limits.assertCanAddQueue('v', 'q2', 1))!;
    expect(error.code).toBe(406);
    expect(error.replyText).toBe("PRECONDITION_FAILED - cannot declare queue 'q2': queue limit in vhost 'v' (1) is reached");
  });

  it('allows nothing with 0 and anything with a negative limit or none', async () => {
    await limits.set('v', 'max-queues', 0);
    expect(refusal(() => limits.assertCanAddQueue('v', 'q', 0))).toBeDefined();
    await limits.set('v', 'max-queues', -1);
    expect(refusal(() => limits.assertCanAddQueue('v', 'q', 1_000_000))).toBeUndefined();
    expect(refusal(() => limits.assertCanConnect('elsewhere', 'u', 1_000_000))).toBeUndefined();
  });

  it.each([
    ['an unknown limit', 'max-channels', 1, /Unrecognised terms \[\{<<"max-channels">>,1\}\] in limits/],
    ['a string', 'max-queues', '10', /max-queues should be a number, actually was "10"/],
    ['a fraction', 'max-queues', 1.5, /max-queues should be a number/],
  ])("refuses %s with RabbitMQ's validation message", (_case, name, value, message) => {
    expect(() => limits.set('v', name, value)).toThrow(message);
    expect(limits.of('v')).toEqual({});
  });

  it('lists, clears one at a time, and survives a restart through the store', async () => {
    await limits.set('v', 'max-queues', 5);
    await limits.set('v', 'max-connections', 7);
    expect(limits.list()).toEqual([{ vhost: 'v', value: { 'max-queues': 5, 'max-connections': 7 } }]);
    await limits.clear('v', 'max-queues');
    const restarted = new VhostLimits(store, await store.load());
    expect(restarted.of('v')).toEqual({ 'max-connections': 7 });
    await restarted.forgetVhost('v');
    expect(restarted.list()).toEqual([]);
    expect(await store.load()).toEqual(new Map());
  });
});
