/**
 * Workload 5: a topic exchange with 10,000 bindings onto 10 queues, the binding
 * keys and the pool of publish keys being those of bench/routing (same seed, same
 * keys). Each publish picks a key at random; a key matches about 24 bindings, so
 * a message reaches about 9 of the 10 queues (counted exactly, see lib/topic-match). The bindings are made once per
 * broker; the queues are purged between runs.
 */
const path = require('path');
const { measureWindow } = require('../lib/measure');
const { producers, consumers, share } = require('./roles');
const { TopicTable } = require('../lib/topic-match');

const EXCHANGE = 'bench.topic';
const QUEUES = Array.from({ length: 10 }, (_, i) => `bench.topic.${i}`);

let keys;
const queueFor = (bindingIndex) => QUEUES[bindingIndex % QUEUES.length];

/** Loads bench/routing's generator once; it is TypeScript, compiled on load like that bench. */
function routingWorkload() {
  if (!keys) {
    require('../../scripts/register-ts.js');
    const { workload } = require(path.join(__dirname, '..', 'routing', 'topic.bench.ts'));
    const { bindingKeys, keys: publishKeys } = workload();
    const table = new TopicTable();
    bindingKeys.forEach((key, i) => table.bind(key, queueFor(i)));
    // How many queues each publish key reaches: the copies a broker should deliver.
    keys = { bindingKeys, publishKeys, copies: publishKeys.map((key) => table.match(key).size) };
  }
  return keys;
}

const prepared = new WeakSet();

async function prepare(target) {
  if (prepared.has(target)) return;
  const { bindingKeys } = routingWorkload();
  await target.freshExchange(EXCHANGE, 'topic', { durable: false });
  for (const queue of QUEUES) await target.freshQueue(queue, { durable: false });
  await target.bindAll(bindingKeys.map((key, i) => ({ queue: queueFor(i), exchange: EXCHANGE, key })));
  prepared.add(target);
}

module.exports = {
  key: 'topic',
  title: '5. topic, 10,000 bindings, 1 KiB',
  rows: [
    { metric: 'published', label: '5. topic, 10,000 bindings: published msg/s', unit: 'msg/s', better: 'higher' },
    { metric: 'delivered', label: '5. topic, 10,000 bindings: delivered msg/s (all queues)', unit: 'msg/s', better: 'higher' },
  ],
  async run(target, options) {
    await prepare(target);
    await target.purge(QUEUES);
    const { publishKeys, copies } = routingWorkload();
    const result = await measureWindow(target, {
      queues: QUEUES.length,
      consumers: consumers(options, target, (i, n) => share(QUEUES, i, n)),
      producers: producers(options, target, { exchange: EXCHANGE, routingKeys: publishKeys, copies, bodySize: 1024 }),
    }, options);
    return { ...result, copiesPerMessage: result.expected / result.published };
  },
  async finish(target) {
    prepared.delete(target);
    await target.deleteQueues(QUEUES);
  },
};
