/**
 * Workload 6: persistent 1 KiB messages to a durable queue at a steady 2,000 per
 * second on a confirm channel, consumed with prefetch 500 and an ack per message.
 * Producer and consumer share one process (separate connections) so both
 * timestamps come from the same monotonic clock; see bench/generators/latency.js.
 */
const { measureWindow } = require('../lib/measure');
const { MAX_IN_FLIGHT, PREFETCH } = require('./roles');

const QUEUE = 'bench.latency';
const RATE = 2000;

module.exports = {
  key: 'latency',
  title: `6. latency at ${RATE} msg/s, persistent`,
  persistent: true,
  rows: [
    { metric: 'p50', label: `6. latency at ${RATE} msg/s persistent: p50 ms`, unit: 'ms', better: 'lower' },
    { metric: 'p99', label: `6. latency at ${RATE} msg/s persistent: p99 ms`, unit: 'ms', better: 'lower' },
    { metric: 'p999', label: `6. latency at ${RATE} msg/s persistent: p99.9 ms`, unit: 'ms', better: 'lower' },
  ],
  async run(target, options) {
    await target.freshQueue(QUEUE, { durable: true });
    try {
      const probe = {
        name: 'latency probe', script: 'latency.js',
        params: { url: target.url, queue: QUEUE, rate: RATE, bodySize: 1024, persistent: true, confirm: true, maxInFlight: MAX_IN_FLIGHT, prefetch: PREFETCH },
      };
      return await measureWindow(target, { consumers: [probe], producers: [] }, options, async ([g], before, after) => {
        const window = await g.call('percentiles', { from: before.snapshots[0].delivered, to: after.snapshots[0].delivered });
        return { ...window, behind: after.snapshots[0].behind };
      });
    } finally {
      await target.deleteQueues([QUEUE]);
    }
  },
};
