/**
 * Headers routing, after RabbitMQ's rabbit_exchange_type_headers: the x-match
 * modes, which arguments count as criteria, void values as presence tests,
 * and the PRECONDITION_FAILED for a bad x-match.
 */
import { BrokerError } from '../../../../src/broker/errors';
import { HeadersRouter } from '../../../../src/broker/routing';

function routerWith(args: Record<string, unknown>): HeadersRouter<string> {
  const router = new HeadersRouter<string>();
  router.bind({ destination: 'q', routingKey: '', arguments: args });
  return router;
}

function matches(args: Record<string, unknown>, headers: Record<string, unknown> | undefined): boolean {
  const into = new Set<string>();
  routerWith(args).route('ignored', headers, into);
  return into.has('q');
}

describe('headers exchange: x-match modes', () => {
  const criteria = { format: 'pdf', type: 'report' };

  it.each([
    ['all', { format: 'pdf', type: 'report' }, true],
    ['all', { format: 'pdf', type: 'report', extra: 1 }, true],
    ['all', { format: 'pdf' }, false],
    ['all', { format: 'pdf', type: 'log' }, false],
    ['all', {}, false],
    ['any', { format: 'pdf' }, true],
    ['any', { type: 'report', format: 'zip' }, true],
    ['any', { format: 'zip', type: 'log' }, false],
    ['any', { other: 'pdf' }, false],
    ['any', {}, false],
  ] as const)('x-match=%s with headers %j: %s', (mode, headers, expected) => {
    expect(matches({ 'x-match': mode, ...criteria }, headers)).toBe(expected);
  });

  it('defaults to all when x-match is absent', () => {
    expect(matches(criteria, { format: 'pdf' })).toBe(false);
    expect(matches(criteria, { format: 'pdf', type: 'report' })).toBe(true);
  });

  it('matches every message with all and no criteria, and none with any and no criteria', () => {
    expect(matches({}, undefined)).toBe(true);
    expect(matches({ 'x-match': 'all' }, { a: 1 })).toBe(true);
    expect(matches({ 'x-match': 'any' }, { a: 1 })).toBe(false);
    expect(matches({ 'x-match': 'any' }, undefined)).toBe(false);
  });

  it('treats a message without headers as having none', () => {
    expect(matches({ a: 1 }, undefined)).toBe(false);
    expect(matches({ 'x-match': 'any', a: 1 }, undefined)).toBe(false);
  });

  it('ignores the routing key', () => {
    const router = new HeadersRouter<string>();
    router.bind({ destination: 'q', routingKey: 'some.key', arguments: { a: 1 } });
    const into = new Set<string>();
    router.route('another', { a: 1 }, into);
    expect([...into]).toEqual(['q']);
  });
});

describe('headers exchange: x- arguments', () => {
  it('ignores x- arguments as criteria with all and any', () => {
    expect(matches({ 'x-match': 'all', 'x-foo': 'bar', a: 1 }, { a: 1 })).toBe(true);
    expect(matches({ 'x-match': 'any', 'x-foo': 'bar' }, { 'x-foo': 'bar' })).toBe(false);
  });

  it('compares x- arguments with all-with-x and any-with-x', () => {
    const allWithX = { 'x-match': 'all-with-x', 'x-foo': 'bar', a: 1 };
    expect(matches(allWithX, { a: 1 })).toBe(false);
    expect(matches(allWithX, { a: 1, 'x-foo': 'baz' })).toBe(false);
    expect(matches(allWithX, { a: 1, 'x-foo': 'bar' })).toBe(true);
    const anyWithX = { 'x-match': 'any-with-x', 'x-foo': 'bar', a: 1 };
    expect(matches(anyWithX, { 'x-foo': 'bar' })).toBe(true);
    expect(matches(anyWithX, { 'x-foo': 'baz', a: 2 })).toBe(false);
  });

  it('never asks for an x-match header, even with -with-x', () => {
    expect(matches({ 'x-match': 'all-with-x' }, {})).toBe(true);
    expect(matches({ 'x-match': 'any-with-x' }, { 'x-match': 'any-with-x' })).toBe(false);
  });
});

describe('headers exchange: values', () => {
  it.each([null, undefined])('treats a %s argument as "the header is present"', (voidValue) => {
    expect(matches({ a: voidValue }, { a: 'anything' })).toBe(true);
    expect(matches({ a: voidValue }, { a: undefined })).toBe(true);
    expect(matches({ a: voidValue }, { b: 1 })).toBe(false);
    expect(matches({ 'x-match': 'any', a: voidValue, b: 2 }, { a: 0 })).toBe(true);
    expect(matches({ 'x-match': 'any', a: voidValue, b: 2 }, { b: 3 })).toBe(false);
  });

  it('compares values deeply and by AMQP meaning', () => {
    expect(matches({ n: 5 }, { n: 5n })).toBe(true);
    expect(matches({ n: 5 }, { n: '5' })).toBe(false);
    expect(matches({ flag: true }, { flag: 1 })).toBe(false);
    expect(matches({ s: 'pdf' }, { s: Buffer.from('pdf') })).toBe(true);
    expect(matches({ list: [1, 'a', { t: [true] }] }, { list: [1, 'a', { t: [true] }] })).toBe(true);
    expect(matches({ list: [1, 'a'] }, { list: ['a', 1] })).toBe(false);
    expect(matches({ table: { a: 1, b: 2 } }, { table: { b: 2, a: 1 } })).toBe(true);
    expect(matches({ table: { a: 1 } }, { table: { a: 1, b: 2 } })).toBe(false);
  });

  it('only looks at own header properties', () => {
    expect(matches({ toString: null }, {})).toBe(false);
  });
});

describe('headers exchange: validation', () => {
  it.each(['all', 'any', 'all-with-x', 'any-with-x', undefined])('accepts x-match=%s', (mode) => {
    expect(() => new HeadersRouter<string>().validateBinding({ destination: 'q', routingKey: '', arguments: { 'x-match': mode } })).not.toThrow();
  });

  it('accepts an x-match the AMQP edge passed on as bytes', () => {
    expect(matches({ 'x-match': Buffer.from('any'), a: 1, b: 2 }, { b: 2 })).toBe(true);
  });

  it.each(['ALL', 'some', '', 'all '])('refuses x-match=%j with PRECONDITION_FAILED', (mode) => {
    const attempt = () => new HeadersRouter<string>().validateBinding({ destination: 'q', routingKey: '', arguments: { 'x-match': mode } });
    expect(attempt).toThrow(BrokerError);
    expect(attempt).toThrow(`PRECONDITION_FAILED - Invalid x-match field value '${mode}'; expected all, any, all-with-x, or any-with-x`);
    try { attempt(); } catch (e) { expect((e as BrokerError).code).toBe(406); }
  });

  it.each([[1, 'number'], [null, 'void'], [true, 'boolean']])('refuses a non-string x-match %j', (value, type) => {
    const attempt = () => new HeadersRouter<string>().validateBinding({ destination: 'q', routingKey: '', arguments: { 'x-match': value } });
    expect(attempt).toThrow(`PRECONDITION_FAILED - Invalid x-match field type ${type}`);
  });

  it('refuses to bind with a bad x-match and keeps nothing', () => {
    const router = new HeadersRouter<string>();
    expect(() => router.bind({ destination: 'q', routingKey: '', arguments: { 'x-match': 'some' } })).toThrow(BrokerError);
    expect(router.bindingCount).toBe(0);
    const into = new Set<string>();
    router.route('', {}, into);
    expect(into.size).toBe(0);
  });
});

describe('headers exchange: several bindings', () => {
  it('routes each destination once and forgets exactly the unbound binding', () => {
    const router = new HeadersRouter<string>();
    const bindings = [
      { destination: 'q1', routingKey: '', arguments: { 'x-match': 'any', a: 1 } },
      { destination: 'q1', routingKey: '', arguments: { b: 2 } },
      { destination: 'q2', routingKey: '', arguments: { 'x-match': 'all', a: 1, b: 2 } },
      { destination: 'q3', routingKey: '', arguments: { c: 3 } },
    ];
    bindings.forEach((b) => router.bind(b));
    const route = (headers: Record<string, unknown>) => {
      const into = new Set<string>();
      router.route('', headers, into);
      return [...into].sort();
    };
    expect(route({ a: 1, b: 2 })).toEqual(['q1', 'q2']);
    router.unbind(bindings[0]);
    expect(route({ a: 1 })).toEqual([]);
    expect(route({ a: 1, b: 2 })).toEqual(['q1', 'q2']);
    router.unbindDestination('q1');
    expect(route({ a: 1, b: 2, c: 3 })).toEqual(['q2', 'q3']);
    expect(router.bindingCount).toBe(2);
  });
});
