import { DirectRouter } from '../../../../src/broker/routing';

function route(router: DirectRouter<string>, key: string): string[] {
  const into = new Set<string>();
  router.route(key, undefined, into);
  return [...into].sort();
}

const bind = (router: DirectRouter<string>, destination: string, routingKey: string) =>
  router.bind({ destination, routingKey, arguments: {} });

describe('direct exchange', () => {
  it('routes to the destinations bound with exactly the routing key', () => {
    const router = new DirectRouter<string>();
    bind(router, 'q1', 'a');
    bind(router, 'q2', 'a');
    bind(router, 'q3', 'b');
    expect(route(router, 'a')).toEqual(['q1', 'q2']);
    expect(route(router, 'b')).toEqual(['q3']);
  });

  it('treats keys as opaque strings: no wildcards, no prefixes, case-sensitive', () => {
    const router = new DirectRouter<string>();
    bind(router, 'q1', 'a.*');
    bind(router, 'q2', '#');
    bind(router, 'q3', 'a');
    expect(route(router, 'a.b')).toEqual([]);
    expect(route(router, 'a.*')).toEqual(['q1']);
    expect(route(router, 'anything')).toEqual([]);
    expect(route(router, 'A')).toEqual([]);
    expect(route(router, 'a.')).toEqual([]);
  });

  it('routes the empty key only to bindings with the empty key', () => {
    const router = new DirectRouter<string>();
    bind(router, 'q1', '');
    bind(router, 'q2', 'a');
    expect(route(router, '')).toEqual(['q1']);
  });

  it('lets one destination hold several keys', () => {
    const router = new DirectRouter<string>();
    bind(router, 'q1', 'a');
    bind(router, 'q1', 'b');
    expect(route(router, 'a')).toEqual(['q1']);
    expect(route(router, 'b')).toEqual(['q1']);
    router.unbind({ destination: 'q1', routingKey: 'a', arguments: {} });
    expect(route(router, 'a')).toEqual([]);
    expect(route(router, 'b')).toEqual(['q1']);
  });

  it('ignores headers', () => {
    const router = new DirectRouter<string>();
    router.bind({ destination: 'q1', routingKey: 'a', arguments: { 'x-match': 'any', h: 1 } });
    const into = new Set<string>();
    router.route('a', { h: 2 }, into);
    expect([...into]).toEqual(['q1']);
  });
});
