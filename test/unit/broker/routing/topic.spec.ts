/**
 * Topic routing as a table, after RabbitMQ's topic exchange suite
 * (deps/rabbit/test/routing_SUITE.erl, topic1):
 * single (binding key, routing key) pairs, then RabbitMQ's own scenario of 27
 * bindings routed together, before and after some are unbound.
 */
import { TopicRouter } from '../../../../src/broker/routing';

function route(router: TopicRouter<string>, key: string): string[] {
  const into = new Set<string>();
  router.route(key, undefined, into);
  return [...into].sort();
}

const bind = (router: TopicRouter<string>, destination: string, routingKey: string, args = {}) =>
  router.bind({ destination, routingKey, arguments: args });
const unbind = (router: TopicRouter<string>, destination: string, routingKey: string, args = {}) =>
  router.unbind({ destination, routingKey, arguments: args });

// [binding key, routing key, matches]
const PAIRS: [string, string, boolean][] = [
  // "" is zero words (RabbitMQ's split_topic_key): only "" and patterns that can be empty match it.
  ['', '', true],
  ['', 'a', false],
  ['', '.', false],
  ['#', '', true],
  ['#', 'a', true],
  ['#', 'a.b.c', true],
  ['#', '.', true],
  ['#.#', '', true],
  ['*', '', false],
  ['*', 'a', true],
  ['*', 'a.b', false],
  ['*', '.', false],
  ['*.#', '', false],
  ['*.#', 'a', true],
  ['*.*', 'a.b', true],
  ['*.*', '.', true],
  ['*.*', 'a', false],
  ['*.*', 'a.b.c', false],
  ['a.#', 'a', true],
  ['a.#', 'a.b.c', true],
  ['a.#', 'b.a', false],
  ['a.#', '', false],
  ['#.a', 'a', true],
  ['#.a', 'b.c.a', true],
  ['#.a', 'a.b', false],
  ['#.b', 'b', true],
  ['#.b', 'a.b', true],
  ['#.b', 'b.a', false],
  ['a.*', 'a', false],
  ['a.*', 'a.b', true],
  ['a.*', 'a.', true],
  ['a.*', 'a.b.c', false],
  ['a.*.b', 'a.x.b', true],
  ['a.*.b', 'a..b', true],
  ['a.*.b', 'a.b', false],
  ['a.*.b', 'a.x.y.b', false],
  ['a.#.b', 'a.b', true],
  ['a.#.b', 'a.x.y.b', true],
  ['a.#.b', 'a.b.b', true],
  ['a.#.b', 'a.b.c', false],
  ['#.*.#', '', false],
  ['#.*.#', 'a', true],
  ['#.*.#', 'a.b.c', true],
  ['#.*.#', '.', true],
  ['#.a.#', 'a', true],
  ['#.a.#', 'b.a.c', true],
  ['#.a.#', 'b.c', false],
  ['#.#.b', 'b', true],
  ['a.#.#.b', 'a.b', true],
  // Empty words are words.
  ['a..b', 'a..b', true],
  ['a..b', 'a.b', false],
  ['a..b', 'a.x.b', false],
  ['a.', 'a.', true],
  ['a.', 'a', false],
  ['.a', '.a', true],
  ['.a', 'a', false],
  ['*.', 'x.', true],
  ['*.', 'x.y', false],
  ['.', '.', true],
  ['.', '', false],
  // Wildcards only as whole words; everything else is literal and case-sensitive.
  ['a*', 'ab', false],
  ['a*', 'a*', true],
  ['a#', 'a.b', false],
  ['a#', 'a#', true],
  ['A', 'a', false],
  ['a.b.c', 'a.b.c', true],
  ['a.b.c', 'a.b', false],
  ['a.b', 'a.b.c', false],
];

describe('topic exchange: one binding, one routing key', () => {
  it.each(PAIRS)('binding %j, routing key %j: match=%s', (bindingKey, routingKey, expected) => {
    const router = new TopicRouter<string>();
    bind(router, 'q', bindingKey);
    expect(route(router, routingKey)).toEqual(expected ? ['q'] : []);
  });

  it('gives the same answers with every pair bound at once', () => {
    const router = new TopicRouter<string>();
    const patterns = [...new Set(PAIRS.map(([pattern]) => pattern))];
    patterns.forEach((pattern) => bind(router, pattern, pattern));
    for (const [pattern, key, expected] of PAIRS) {
      expect({ pattern, key, matched: route(router, key).includes(pattern) }).toEqual({ pattern, key, matched: expected });
    }
  });
});

describe("topic exchange: RabbitMQ's routing scenario", () => {
  const BINDINGS: [string, string, Record<string, unknown>?][] = [
    ['a.b.c', 't1'], ['a.*.c', 't2'], ['a.#.b', 't3'], ['a.b.b.c', 't4'], ['#', 't5'], ['#.#', 't6'], ['#.b', 't7'],
    ['*.*', 't8'], ['a.*', 't9'], ['*.b.c', 't10'], ['a.#', 't11'], ['a.#.#', 't12'], ['b.b.c', 't13'],
    ['a.b.b', 't14'], ['a.b', 't15'], ['b.c', 't16'], ['', 't17'], ['*.*.*', 't18'], ['vodka.martini', 't19'],
    ['a.b.c', 't20'], ['*.#', 't21'], ['#.*.#', 't22'], ['*.#.#', 't23'], ['#.#.#', 't24'], ['*', 't25'],
    ['#.b.#', 't26'], ['args-test', 't27', { foo: 'bar' }], ['args-test', 't27', { foo: 'baz' }],
  ];

  const BEFORE: [string, string[]][] = [
    ['a.b.c', ['t1', 't2', 't5', 't6', 't10', 't11', 't12', 't18', 't20', 't21', 't22', 't23', 't24', 't26']],
    ['a.b', ['t3', 't5', 't6', 't7', 't8', 't9', 't11', 't12', 't15', 't21', 't22', 't23', 't24', 't26']],
    ['a.b.b', ['t3', 't5', 't6', 't7', 't11', 't12', 't14', 't18', 't21', 't22', 't23', 't24', 't26']],
    ['', ['t5', 't6', 't17', 't24']],
    ['b.c.c', ['t5', 't6', 't18', 't21', 't22', 't23', 't24', 't26']],
    ['a.a.a.a.a', ['t5', 't6', 't11', 't12', 't21', 't22', 't23', 't24']],
    ['vodka.gin', ['t5', 't6', 't8', 't21', 't22', 't23', 't24']],
    ['vodka.martini', ['t5', 't6', 't8', 't19', 't21', 't22', 't23', 't24']],
    ['b.b.c', ['t5', 't6', 't10', 't13', 't18', 't21', 't22', 't23', 't24', 't26']],
    ['nothing.here.at.all', ['t5', 't6', 't21', 't22', 't23', 't24']],
    ['oneword', ['t5', 't6', 't21', 't22', 't23', 't24', 't25']],
    ['args-test', ['t5', 't6', 't21', 't22', 't23', 't24', 't25', 't27']],
  ];

  // After unbinding bindings 1, 5, 11, 19, 21 and 28 (the second args-test binding).
  const AFTER: [string, string[]][] = [
    ['a.b.c', ['t2', 't6', 't10', 't12', 't18', 't20', 't22', 't23', 't24', 't26']],
    ['a.b', ['t3', 't6', 't7', 't8', 't9', 't12', 't15', 't22', 't23', 't24', 't26']],
    ['a.b.b', ['t3', 't6', 't7', 't12', 't14', 't18', 't22', 't23', 't24', 't26']],
    ['', ['t6', 't17', 't24']],
    ['b.c.c', ['t6', 't18', 't22', 't23', 't24', 't26']],
    ['a.a.a.a.a', ['t6', 't12', 't22', 't23', 't24']],
    ['vodka.gin', ['t6', 't8', 't22', 't23', 't24']],
    ['vodka.martini', ['t6', 't8', 't22', 't23', 't24']],
    ['b.b.c', ['t6', 't10', 't13', 't18', 't22', 't23', 't24', 't26']],
    ['nothing.here.at.all', ['t6', 't22', 't23', 't24']],
    ['oneword', ['t6', 't22', 't23', 't24', 't25']],
    ['args-test', ['t6', 't22', 't23', 't24', 't25', 't27']],
  ];

  let router: TopicRouter<string>;
  beforeEach(() => {
    router = new TopicRouter<string>();
    for (const [key, queue, args] of BINDINGS) bind(router, queue, key, args);
  });

  it('holds every binding, including two that differ only in arguments', () => {
    expect(router.bindingCount).toBe(28);
  });

  it.each(BEFORE)('routes %j', (key, expected) => {
    expect(route(router, key)).toEqual([...expected].sort());
  });

  describe('after unbinding some', () => {
    beforeEach(() => {
      for (const n of [1, 5, 11, 19, 21, 28]) {
        const [key, queue, args] = BINDINGS[n - 1];
        unbind(router, queue, key, args);
      }
    });

    it.each(AFTER)('routes %j', (key, expected) => {
      expect(route(router, key)).toEqual([...expected].sort());
    });

    it('has pruned the trie down to the empty root once everything is unbound', () => {
      expect(router.bindingCount).toBe(22);
      for (const [key, queue, args] of BINDINGS) unbind(router, queue, key, args);
      expect(router.bindingCount).toBe(0);
      expect(router.nodeCount).toBe(1);
      for (const [key] of BEFORE) expect(route(router, key)).toEqual([]);
    });
  });
});

describe('topic exchange: the trie', () => {
  it('grows one node per new pattern word and shares common prefixes', () => {
    const router = new TopicRouter<string>();
    bind(router, 'q1', 'a.b.c');
    expect(router.nodeCount).toBe(4);
    bind(router, 'q2', 'a.b.d');
    bind(router, 'q3', 'a.*.#');
    expect(router.nodeCount).toBe(7);
    bind(router, 'q4', '');
    expect(router.nodeCount).toBe(7);
  });

  it('prunes only the branch an unbind leaves empty', () => {
    const router = new TopicRouter<string>();
    bind(router, 'q1', 'a.b.c');
    bind(router, 'q2', 'a');
    unbind(router, 'q1', 'a.b.c');
    expect(router.nodeCount).toBe(2);
    expect(route(router, 'a')).toEqual(['q2']);
    unbind(router, 'q2', 'a');
    expect(router.nodeCount).toBe(1);
  });

  it('keeps a node while another binding still ends there', () => {
    const router = new TopicRouter<string>();
    bind(router, 'q1', 'a.#');
    bind(router, 'q2', 'a.#');
    bind(router, 'q1', 'a.#', { 'x-tag': 1 });
    unbind(router, 'q1', 'a.#');
    expect(route(router, 'a.z')).toEqual(['q1', 'q2']);
    router.unbindDestination('q1');
    expect(route(router, 'a.z')).toEqual(['q2']);
    router.unbindDestination('q2');
    expect(router.nodeCount).toBe(1);
    expect(router.bindingCount).toBe(0);
  });

  it('routes correctly after a node has been pruned and grown again', () => {
    const router = new TopicRouter<string>();
    bind(router, 'q1', '#.x.#');
    unbind(router, 'q1', '#.x.#');
    bind(router, 'q2', '#.x');
    expect(route(router, 'a.x')).toEqual(['q2']);
    expect(route(router, 'x.a')).toEqual([]);
  });

  it('expands each # once per position, so many # cannot blow up', () => {
    // Without the memo this tries about C(60, 6) ways of splitting the key (seconds); with it, milliseconds.
    const router = new TopicRouter<string>();
    const pattern = Array(6).fill('#.a').join('.') + '.#.b';
    bind(router, 'q', pattern);
    const key = Array(60).fill('a').join('.');
    const started = performance.now();
    expect(route(router, key)).toEqual([]);
    expect(route(router, `${key}.b`)).toEqual(['q']);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
