/**
 * The generator processes a workload asks for, built the same way for both
 * brokers: --producers and --consumers set how many processes of each there are.
 */
const MAX_IN_FLIGHT = 2000;
const PREFETCH = 500;

/**
 * publish: exchange, routingKeys and copies (how many queues each key reaches, for
 * the backlog estimate), bodySize, and optionally persistent, confirm, priorityLevels.
 */
function producers(options, target, publish) {
  return Array.from({ length: options.producers }, (_, i) => ({
    name: `producer ${i + 1}`,
    script: 'producer.js',
    params: {
      url: target.url,
      maxInFlight: MAX_IN_FLIGHT,
      confirm: false,
      persistent: false,
      priorityLevels: 0,
      ...publish,
    },
  }));
}

/**
 * queuesFor(i, n) gives consumer process i of n its queues; each queue gets its
 * own connection, as a separate consuming application would have.
 */
function consumers(options, target, queuesFor) {
  return Array.from({ length: options.consumers }, (_, i) => ({
    name: `consumer ${i + 1}`,
    script: 'consumer.js',
    params: { url: target.url, queues: queuesFor(i, options.consumers), prefetch: PREFETCH, ackEvery: options.ackEvery, connectionPerQueue: true },
  })).filter((spec) => spec.params.queues.length > 0);
}

/** Splits queues over n consumer processes, round robin. */
function share(queues, i, n) {
  return queues.filter((_, k) => k % n === i);
}

module.exports = { producers, consumers, share, MAX_IN_FLIGHT, PREFETCH };
