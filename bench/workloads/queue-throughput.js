/**
 * Workloads 1, 2, 3 and 8: producers publish to one queue through the default
 * exchange, consumers drain it with prefetch 500 and manual acks; the figure is
 * the end-to-end rate, messages delivered to consumers per second. The queue is
 * declared afresh for every run, so each starts empty.
 */
const { measureWindow } = require('../lib/measure');
const { producers, consumers } = require('./roles');

function queueThroughput({ key, title, bodySize, durable = false, persistent = false, confirm = false, priorityLevels = 0 }) {
  const queue = `bench.${key}`;
  return {
    key,
    title,
    persistent,
    rows: [
      { metric: 'delivered', label: `${title}: delivered msg/s`, unit: 'msg/s', better: 'higher' },
    ],
    async run(target, options) {
      const args = priorityLevels ? { 'x-max-priority': priorityLevels } : {};
      await target.freshQueue(queue, { durable, autoDelete: false, arguments: args });
      try {
        return await measureWindow(target, {
          queues: 1,
          consumers: consumers(options, target, () => [queue]),
          producers: producers(options, target, {
            exchange: '', routingKeys: [queue], copies: [1], bodySize, persistent, confirm, priorityLevels,
          }),
        }, options);
      } finally {
        await target.deleteQueues([queue]);
      }
    },
  };
}

const KIB = 1024;

module.exports = [
  queueThroughput({ key: 'transient', title: '1. transient 1 KiB', bodySize: KIB }),
  queueThroughput({ key: 'persistent', title: '2. persistent 1 KiB, confirms', bodySize: KIB, durable: true, persistent: true, confirm: true}),
  queueThroughput({ key: 'priority', title: '3. persistent, x-max-priority 10', bodySize: KIB, durable: true, persistent: true, confirm: true, priorityLevels: 10}),
  queueThroughput({ key: 'small', title: '8. transient 16 B', bodySize: 16 }),
];
