/**
 * What every exchange type promises through ExchangeRouter, run against each
 * type: binding identity, idempotent bind, exact unbind, unbindDestination and
 * duplicate destinations. The binding key "k" with no arguments matches the
 * routing key "k" in every type (headers: `all` with no criteria matches all,
 * and arguments named x-... are not criteria, so they only tell bindings apart).
 */
import { BindingSpec, createRouter, EXCHANGE_TYPES, ExchangeRouter } from '../../../../src/broker/routing';

interface Queue { name: string }
const q1: Queue = { name: 'q1' };
const q2: Queue = { name: 'q2' };

const binding = (destination: Queue, args: Record<string, unknown> = {}): BindingSpec<Queue> =>
  ({ destination, routingKey: 'k', arguments: args });

function routed(router: ExchangeRouter<Queue>): Queue[] {
  const into = new Set<Queue>();
  router.route('k', {}, into);
  return [...into];
}

describe.each(EXCHANGE_TYPES)('%s router contract', (type) => {
  let router: ExchangeRouter<Queue>;
  beforeEach(() => { router = createRouter<Queue>(type); });

  it('routes nowhere with no bindings', () => {
    expect(router.bindingCount).toBe(0);
    expect(routed(router)).toEqual([]);
  });

  it('binding the same binding twice keeps one, and one unbind removes it', () => {
    router.bind(binding(q1, { a: [1, { b: 'c' }] }));
    router.bind(binding(q1, { a: [1, { b: 'c' }] }));
    expect(router.bindingCount).toBe(1);
    router.unbind(binding(q1, { a: [1, { b: 'c' }] }));
    expect(router.bindingCount).toBe(0);
    expect(routed(router)).toEqual([]);
  });

  it('treats arguments as part of the binding, compared deeply and regardless of key order', () => {
    router.bind(binding(q1, { a: 1, b: 2 }));
    router.bind(binding(q1, { b: 2, a: 1 }));
    router.bind(binding(q1, { a: 1, b: 3 }));
    expect(router.bindingCount).toBe(2);
  });

  it('identifies destinations by identity, not by contents', () => {
    router.bind(binding(q1));
    router.bind(binding({ name: 'q1' }));
    expect(router.bindingCount).toBe(2);
    expect(routed(router)).toHaveLength(2);
  });

  it('delivers once to a destination matched by several bindings, until the last goes', () => {
    router.bind(binding(q1, { 'x-n': 1 }));
    router.bind(binding(q1, { 'x-n': 2 }));
    router.bind(binding(q2));
    expect(routed(router)).toEqual(expect.arrayContaining([q1, q2]));
    expect(routed(router)).toHaveLength(2);
    router.unbind(binding(q1, { 'x-n': 1 }));
    expect(routed(router)).toEqual(expect.arrayContaining([q1, q2]));
    router.unbind(binding(q1, { 'x-n': 2 }));
    expect(routed(router)).toEqual([q2]);
  });

  it('adds to what is already in the set without removing anything', () => {
    router.bind(binding(q1));
    const into = new Set<Queue>([q2]);
    router.route('k', {}, into);
    expect([...into]).toEqual([q2, q1]);
  });

  it('ignores an unbind of a binding that does not exist', () => {
    router.bind(binding(q1, { 'x-a': 1 }));
    router.unbind(binding(q1, { 'x-a': 2 }));
    router.unbind(binding(q2, { 'x-a': 1 }));
    router.unbind({ destination: q1, routingKey: 'other', arguments: { 'x-a': 1 } });
    expect(router.bindingCount).toBe(1);
    expect(routed(router)).toEqual([q1]);
  });

  it('unbindDestination removes every binding of that destination and only those', () => {
    router.bind(binding(q1, { 'x-n': 1 }));
    router.bind(binding(q1, { 'x-n': 2 }));
    router.bind({ destination: q1, routingKey: 'other', arguments: {} });
    router.bind(binding(q2));
    router.unbindDestination(q1);
    expect(router.bindingCount).toBe(1);
    expect(routed(router)).toEqual([q2]);
    router.unbindDestination(q1);
    expect(router.bindingCount).toBe(1);
  });

  it('leaves exactly the remaining destinations, whatever order they are unbound in', () => {
    const queues = Array.from({ length: 6 }, (_, i) => ({ name: `q${i}` }));
    queues.forEach((q) => router.bind(binding(q)));
    const remaining = new Set(queues);
    for (const i of [0, 5, 2, 1, 4, 3]) {
      router.unbind(binding(queues[i]));
      remaining.delete(queues[i]);
      expect(new Set(routed(router))).toEqual(remaining);
    }
  });

  it('keeps its own copy of the arguments', () => {
    const args: Record<string, unknown> = { 'x-a': 1 };
    router.bind(binding(q1, args));
    args['x-a'] = 2;
    router.unbind(binding(q1, { 'x-a': 1 }));
    expect(router.bindingCount).toBe(0);
  });
});
