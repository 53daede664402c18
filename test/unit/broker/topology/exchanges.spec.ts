/** Declaring and deleting exchanges through the TopologyService, as RabbitMQ answers them. */
import { TopologyService } from '../../../../src/broker/topology/topology-service';
import { exchange, queue, rejection, routed, startTopology, toExchange, toQueue } from './fixtures';

describe('TopologyService: exchanges', () => {
  let topology: TopologyService;
  beforeEach(async () => {
    topology = await startTopology();
  });

  describe('the default vhost', () => {
    it("exists with the default exchange and the amq.* exchanges of every type", () => {
      expect(topology.vhosts().map((v) => v.name)).toEqual(['/']);
      const types = Object.fromEntries([...topology.vhost('/').exchanges.values()].map((x) => [x.name, x.type]));
      expect(types).toEqual({
        '': 'direct',
        'amq.direct': 'direct',
        'amq.fanout': 'fanout',
        'amq.topic': 'topic',
        'amq.headers': 'headers',
        'amq.match': 'headers',
      });
      for (const standard of topology.vhost('/').exchanges.values()) expect(standard.durable).toBe(true);
    });

    it('answers NOT_FOUND for a vhost that does not exist', async () => {
      expect(() => topology.vhost('nope')).toThrow("NOT_FOUND - no vhost 'nope'");
      expect(topology.hasVhost('nope')).toBe(false);
      expect((await rejection(topology.declareExchange('nope', 'x', exchange()))).name).toBe('NOT_FOUND');
    });
  });

  describe('declare', () => {
    it('creates an exchange with the declared settings', async () => {
      const declared = await topology.declareExchange('/', 'x', exchange({ type: 'topic', durable: true, arguments: { custom: 1 } }));
      expect(topology.exchange('/', 'x')).toBe(declared);
      expect(declared.settings).toEqual({ type: 'topic', durable: true, autoDelete: false, internal: false, arguments: { custom: 1 } });
    });

    it('accepts every exchange type and refuses an unknown one', async () => {
      for (const type of ['direct', 'fanout', 'topic', 'headers']) {
        expect((await topology.declareExchange('/', `x-${type}`, exchange({ type }))).type).toBe(type);
      }
      const error = await rejection(topology.declareExchange('/', 'x-odd', exchange({ type: 'x-consistent-hash' })));
      expect(error.replyText).toContain("'x-consistent-hash'");
      expect(topology.vhost('/').exchanges.has('x-odd')).toBe(false);
    });

    it('is idempotent with the same settings, arguments compared regardless of key order', async () => {
      const settings = exchange({ type: 'fanout', durable: true, arguments: { 'alternate-exchange': 'ae', other: [1, 2] } });
      const first = await topology.declareExchange('/', 'x', settings);
      const again = await topology.declareExchange('/', 'x', exchange({ type: 'fanout', durable: true, arguments: { other: [1, 2], 'alternate-exchange': 'ae' } }));
      expect(again).toBe(first);
    });

    it.each([
      ['type', { type: 'fanout' }, "received 'fanout' but current is 'direct'"],
      ['durable', { durable: true }, "received 'true' but current is 'false'"],
      ['auto_delete', { autoDelete: true }, "received 'true' but current is 'false'"],
      ['internal', { internal: true }, "received 'true' but current is 'false'"],
      ['alternate-exchange', { arguments: { 'alternate-exchange': 'ae' } }, "received 'ae' but current is none"],
    ])('refuses a redeclare with a different %s as PRECONDITION_FAILED', async (arg, change, detail) => {
      const original = await topology.declareExchange('/', 'x', exchange());
      const error = await rejection(topology.declareExchange('/', 'x', exchange(change)));
      expect(error.code).toBe(406);
      expect(error.replyText).toBe(`PRECONDITION_FAILED - inequivalent arg '${arg}' for exchange 'x' in vhost '/': ${detail}`);
      expect(topology.exchange('/', 'x')).toBe(original);
    });

    it('refuses new names with the reserved prefix amq.', async () => {
      const error = await rejection(topology.declareExchange('/', 'amq.custom', exchange()));
      expect(error.code).toBe(403);
      expect(error.replyText).toBe("ACCESS_REFUSED - exchange name 'amq.custom' contains reserved prefix 'amq.*'");
    });

    it('accepts a redeclare of a standard exchange with its settings', async () => {
      const standard = topology.exchange('/', 'amq.direct');
      expect(await topology.declareExchange('/', 'amq.direct', exchange({ durable: true }))).toBe(standard);
      expect((await rejection(topology.declareExchange('/', 'amq.direct', exchange({ durable: false })))).name).toBe('PRECONDITION_FAILED');
    });

    it('refuses to declare the default exchange', async () => {
      const error = await rejection(topology.declareExchange('/', '', exchange({ durable: true })));
      expect(error.replyText).toBe('ACCESS_REFUSED - operation not permitted on the default exchange');
    });

    it('accepts names of exactly 255 bytes of UTF-8 and refuses longer ones', async () => {
      const twoByte = `${'é'.repeat(127)}a`;
      const threeByte = '€'.repeat(85);
      expect(Buffer.byteLength(twoByte)).toBe(255);
      expect(Buffer.byteLength(threeByte)).toBe(255);
      await topology.declareExchange('/', twoByte, exchange());
      await topology.declareExchange('/', threeByte, exchange());
      await topology.declareExchange('/', 'a'.repeat(255), exchange());

      for (const name of ['é'.repeat(128), 'a'.repeat(256), `${'€'.repeat(85)}a`]) {
        expect(name.length).toBeLessThanOrEqual(256);
        const error = await rejection(topology.declareExchange('/', name, exchange()));
        expect(error.name).toBe('PRECONDITION_FAILED');
        expect(topology.vhost('/').exchanges.has(name)).toBe(false);
      }
    });

    it('validates the arguments it knows', async () => {
      const error = await rejection(topology.declareExchange('/', 'x', exchange({ arguments: { 'alternate-exchange': 5 } })));
      expect(error.name).toBe('PRECONDITION_FAILED');
      expect(error.replyText).toContain("'alternate-exchange'");
    });

    it('keeps its settings when the caller later mutates the declaration it passed', async () => {
      const declaration = exchange({ arguments: { 'alternate-exchange': 'ae' } });
      await topology.declareExchange('/', 'x', declaration);
      declaration.arguments['alternate-exchange'] = 'other';
      declaration.durable = true;
      expect(topology.exchange('/', 'x').settings).toEqual(exchange({ arguments: { 'alternate-exchange': 'ae' } }));
    });

    it('passively finds an existing exchange and answers NOT_FOUND for a missing one', async () => {
      const declared = await topology.declareExchange('/', 'x', exchange({ type: 'topic' }));
      expect(await topology.declareExchange('/', 'x', exchange({ type: 'fanout' }), true)).toBe(declared);
      const error = await rejection(topology.declareExchange('/', 'missing', exchange(), true));
      expect(error.code).toBe(404);
      expect(error.replyText).toBe("NOT_FOUND - no exchange 'missing' in vhost '/'");
      expect(topology.vhost('/').exchanges.has('missing')).toBe(false);
    });

    it('serialises concurrent declares: the second, inequivalent one fails', async () => {
      const [first, second] = await Promise.allSettled([
        topology.declareExchange('/', 'x', exchange({ type: 'fanout', durable: true })),
        topology.declareExchange('/', 'x', exchange({ type: 'topic', durable: true })),
      ]);
      expect(first.status).toBe('fulfilled');
      expect(second.status).toBe('rejected');
      expect(topology.exchange('/', 'x').type).toBe('fanout');
    });
  });

  describe('delete', () => {
    it('removes the exchange and every binding from and to it', async () => {
      await topology.declareExchange('/', 'x', exchange({ type: 'fanout' }));
      await topology.declareExchange('/', 'upstream', exchange({ type: 'fanout' }));
      await topology.declareQueue('/', 'q', queue());
      await topology.bind(toQueue('x', 'q'));
      await topology.bind(toExchange('upstream', 'x'));
      await topology.deleteExchange('/', 'x');
      expect(topology.vhost('/').exchanges.has('x')).toBe(false);
      expect(topology.vhost('/').bindings).toEqual([]);
      expect(routed(topology, 'upstream', '')).toEqual([]);
      expect(topology.exchange('/', 'upstream').router.bindingCount).toBe(0);
    });

    it('answers NOT_FOUND for a missing exchange', async () => {
      expect((await rejection(topology.deleteExchange('/', 'missing'))).replyText).toBe("NOT_FOUND - no exchange 'missing' in vhost '/'");
    });

    it('refuses to delete the default exchange and the amq.* exchanges', async () => {
      expect((await rejection(topology.deleteExchange('/', ''))).name).toBe('ACCESS_REFUSED');
      for (const name of ['amq.direct', 'amq.fanout', 'amq.topic', 'amq.headers', 'amq.match']) {
        expect((await rejection(topology.deleteExchange('/', name))).code).toBe(403);
        expect(topology.vhost('/').exchanges.has(name)).toBe(true);
      }
    });

    it('with if-unused refuses an exchange that is the source of a binding', async () => {
      await topology.declareExchange('/', 'x', exchange());
      await topology.declareQueue('/', 'q', queue());
      await topology.bind(toQueue('x', 'q', 'k'));
      const error = await rejection(topology.deleteExchange('/', 'x', { ifUnused: true }));
      expect(error.replyText).toBe("PRECONDITION_FAILED - exchange 'x' in vhost '/' in use");
      expect(routed(topology, 'x', 'k')).toEqual(['q']);
    });

    it('with if-unused deletes an exchange that is only a destination, as RabbitMQ does', async () => {
      await topology.declareExchange('/', 'x', exchange());
      await topology.bind(toExchange('amq.fanout', 'x'));
      await topology.deleteExchange('/', 'x', { ifUnused: true });
      expect(topology.vhost('/').exchanges.has('x')).toBe(false);
      expect(topology.vhost('/').bindings).toEqual([]);
    });

    it('with if-unused deletes an exchange without bindings', async () => {
      await topology.declareExchange('/', 'x', exchange());
      await topology.deleteExchange('/', 'x', { ifUnused: true });
      expect(topology.vhost('/').exchanges.has('x')).toBe(false);
    });

    it('deletes auto-delete exchanges that thereby lose their last binding', async () => {
      await topology.declareExchange('/', 'ad', exchange({ autoDelete: true }));
      await topology.declareExchange('/', 'x', exchange());
      await topology.bind(toExchange('ad', 'x'));
      await topology.deleteExchange('/', 'x');
      expect(topology.vhost('/').exchanges.has('ad')).toBe(false);
    });
  });
});
