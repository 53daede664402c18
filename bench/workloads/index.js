/** Every workload, in the order the table lists them; --only picks by key. */
const [transient, persistent, priority, small] = require('./queue-throughput');

module.exports = [
  transient,
  persistent,
  priority,
  require('./fanout'),
  require('./topic'),
  require('./latency'),
  require('./idle-connections'),
  small,
];
