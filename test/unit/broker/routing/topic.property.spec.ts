/**
 * The topic trie against a plain recursive matcher, on random bindings, keys,
 * unbinds and destination deletions. The words come from a tiny alphabet
 * (with the empty word) so that random patterns and keys actually collide.
 */
import fc from 'fast-check';
import { TopicRouter } from '../../../../src/broker/routing';

const words = (key: string): string[] => (key === '' ? [] : key.split('.'));

/** Does pattern p, from word i on, match key k from word j on? Straight from the definition. */
function referenceMatch(p: string[], k: string[], i = 0, j = 0): boolean {
  if (i === p.length) return j === k.length;
  if (p[i] === '#') return referenceMatch(p, k, i + 1, j) || (j < k.length && referenceMatch(p, k, i, j + 1));
  if (j === k.length) return false;
  return (p[i] === '*' || p[i] === k[j]) && referenceMatch(p, k, i + 1, j + 1);
}

interface ModelBinding { destination: string; pattern: string; tag: number }
type Op =
  | { kind: 'bind' | 'unbind'; binding: ModelBinding }
  | { kind: 'unbindDestination'; destination: string };

const patternArb = fc.array(fc.constantFrom('a', 'b', 'c', '', '*', '#'), { maxLength: 5 }).map((ws) => ws.join('.'));
const keyArb = fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 6 }).map((ws) => ws.join('.'));
const destinationArb = fc.constantFrom('q0', 'q1', 'q2', 'q3');
const bindingArb = fc.record({ destination: destinationArb, pattern: patternArb, tag: fc.constantFrom(0, 1) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: bindingArb.map((binding) => ({ kind: 'bind' as const, binding })) },
  { weight: 2, arbitrary: bindingArb.map((binding) => ({ kind: 'unbind' as const, binding })) },
  { weight: 1, arbitrary: destinationArb.map((destination) => ({ kind: 'unbindDestination' as const, destination })) },
);

const spec = (b: ModelBinding) => ({ destination: b.destination, routingKey: b.pattern, arguments: { 'x-tag': b.tag } });
const same = (a: ModelBinding, b: ModelBinding) => a.destination === b.destination && a.pattern === b.pattern && a.tag === b.tag;

function apply(router: TopicRouter<string>, model: ModelBinding[], op: Op): ModelBinding[] {
  switch (op.kind) {
    case 'bind':
      router.bind(spec(op.binding));
      return model.some((b) => same(b, op.binding)) ? model : [...model, op.binding];
    case 'unbind':
      router.unbind(spec(op.binding));
      return model.filter((b) => !same(b, op.binding));
    case 'unbindDestination':
      router.unbindDestination(op.destination);
      return model.filter((b) => b.destination !== op.destination);
  }
}

function routed(router: TopicRouter<string>, key: string): string[] {
  const into = new Set<string>();
  router.route(key, undefined, into);
  return [...into].sort();
}

const expected = (model: ModelBinding[], key: string): string[] =>
  [...new Set(model.filter((b) => referenceMatch(words(b.pattern), words(key))).map((b) => b.destination))].sort();

describe('topic trie, property-based', () => {
  it('the reference matcher says what RabbitMQ says', () => {
    const m = (p: string, k: string) => referenceMatch(words(p), words(k));
    expect([m('#', ''), m('*', ''), m('', ''), m('a.#', 'a'), m('#.a', 'a'), m('a.*', 'a'), m('a.#.b', 'a.b')])
      .toEqual([true, false, true, true, true, false, true]);
  });

  it('routes like the reference matcher through any sequence of binds, unbinds and deletions', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(keyArb, { minLength: 1, maxLength: 8 }), (ops, keys) => {
        const router = new TopicRouter<string>();
        let model: ModelBinding[] = [];
        for (const op of ops) {
          model = apply(router, model, op);
          for (const key of keys) expect(routed(router, key)).toEqual(expected(model, key));
          expect(router.bindingCount).toBe(model.length);
        }
        for (const b of model) router.unbind(spec(b));
        expect(router.bindingCount).toBe(0);
        expect(router.nodeCount).toBe(1);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the reference on long keys and many wildcards', () => {
    const longPattern = fc.array(fc.constantFrom('a', 'b', '*', '#', '#'), { minLength: 1, maxLength: 12 }).map((ws) => ws.join('.'));
    const longKey = fc.array(fc.constantFrom('a', 'b'), { maxLength: 20 }).map((ws) => ws.join('.'));
    fc.assert(
      fc.property(fc.uniqueArray(longPattern, { minLength: 1, maxLength: 20 }), fc.array(longKey, { maxLength: 10 }), (patterns, keys) => {
        const router = new TopicRouter<string>();
        const model = patterns.map((pattern) => ({ destination: pattern, pattern, tag: 0 }));
        model.forEach((b) => router.bind(spec(b)));
        for (const key of keys) expect(routed(router, key)).toEqual(expected(model, key));
      }),
      { numRuns: 300 },
    );
  });
});
