/**
 * Workload 4: a fanout exchange bound to 10 queues, each drained by its own
 * consumer on its own connection. Reports copies delivered per second over all
 * queues, and messages published per second.
 */
const { measureWindow } = require('../lib/measure');
const { producers, consumers, share } = require('./roles');

const EXCHANGE = 'bench.fanout';
const QUEUES = Array.from({ length: 10 }, (_, i) => `bench.fanout.${i}`);

module.exports = {
  key: 'fanout',
  title: '4. fanout to 10 queues, 1 KiB',
  rows: [
    { metric: 'delivered', label: '4. fanout to 10 queues: delivered msg/s (all queues)', unit: 'msg/s', better: 'higher' },
    { metric: 'published', label: '4. fanout to 10 queues: published msg/s', unit: 'msg/s', better: 'higher' },
  ],
  async run(target, options) {
    await target.freshExchange(EXCHANGE, 'fanout', { durable: false });
    for (const queue of QUEUES) await target.freshQueue(queue, { durable: false });
    await target.bindAll(QUEUES.map((queue) => ({ queue, exchange: EXCHANGE, key: '' })));
    try {
      return await measureWindow(target, {
        queues: QUEUES.length,
        consumers: consumers(options, target, (i, n) => share(QUEUES, i, n)),
        producers: producers(options, target, { exchange: EXCHANGE, routingKeys: [''], copies: [QUEUES.length], bodySize: 1024 }),
      }, options);
    } finally {
      await target.deleteQueues(QUEUES);
    }
  },
};
