import { FanoutRouter } from '../../../../src/broker/routing';

function route(router: FanoutRouter<string>, key: string, headers?: Record<string, unknown>): string[] {
  const into = new Set<string>();
  router.route(key, headers, into);
  return [...into].sort();
}

describe('fanout exchange', () => {
  it('routes every message to every bound destination, whatever the key it was bound with', () => {
    const router = new FanoutRouter<string>();
    router.bind({ destination: 'q1', routingKey: 'a', arguments: {} });
    router.bind({ destination: 'q2', routingKey: '', arguments: {} });
    router.bind({ destination: 'q3', routingKey: 'b', arguments: { 'x-match': 'any', h: 1 } });
    for (const key of ['', 'a', 'zzz', '#']) expect(route(router, key, { h: 2 })).toEqual(['q1', 'q2', 'q3']);
  });

  it('stops routing to a destination once its last binding goes', () => {
    const router = new FanoutRouter<string>();
    router.bind({ destination: 'q1', routingKey: 'a', arguments: {} });
    router.bind({ destination: 'q1', routingKey: 'b', arguments: {} });
    router.bind({ destination: 'q2', routingKey: 'a', arguments: {} });
    router.unbind({ destination: 'q1', routingKey: 'a', arguments: {} });
    expect(route(router, 'x')).toEqual(['q1', 'q2']);
    router.unbind({ destination: 'q1', routingKey: 'b', arguments: {} });
    expect(route(router, 'x')).toEqual(['q2']);
  });
});
