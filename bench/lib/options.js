/** Command-line options of bench/run.js, with --help text that lists them all. */
const workloads = require('../workloads');

const DEFAULTS = {
  runs: 3,
  seconds: 10,
  warmup: 3,
  producers: 1,
  consumers: 1,
  ackEvery: 1,
  maxBacklog: 20000,
  brokers: ['warren', 'rabbitmq'],
  only: workloads.map((w) => w.key),
  rabbitmqUrl: process.env.RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672',
  warrenUrl: null,
  warrenPid: null,
  amqpPort: 25700,
  httpPort: 25701,
  cpuProf: null,
  out: null,
  keep: false,
};

const HELP = `Usage: npm run bench [-- options]   or   node bench/run.js [options] (after npm run build)

Runs each workload against Warren and RabbitMQ and prints one table of medians.

  --only LIST          workloads to run, comma-separated (default: all):
                       ${workloads.map((w) => w.key).join(', ')}
  --runs N             runs per workload and broker, median reported (default ${DEFAULTS.runs})
  --seconds S          measured seconds per run (default ${DEFAULTS.seconds})
  --warmup S           seconds of load before measuring (default ${DEFAULTS.warmup})
  --producers N        producer processes per throughput workload (default ${DEFAULTS.producers})
  --consumers N        consumer processes; fanout/topic split their 10 queues over them (default ${DEFAULTS.consumers})
  --ack-every N        consumers ack with multiple=true every N messages (default ${DEFAULTS.ackEvery}: every message)
  --max-backlog N      producers hold off while a target queue has more than N ready messages;
                       0 = never (default ${DEFAULTS.maxBacklog})
  --brokers LIST       warren, rabbitmq or both (default both)
  --rabbitmq-url URL   default $RABBITMQ_URL or ${DEFAULTS.rabbitmqUrl}
  --warren-url URL     use a Warren that is already running instead of starting one
  --warren-pid PID     its process, for memory and CPU (default: whoever listens on the URL's port)
  --amqp-port P        AMQP port of the Warren started here (default ${DEFAULTS.amqpPort})
  --http-port P        HTTP port of the Warren started here (default ${DEFAULTS.httpPort})
  --cpu-prof DIR       start Warren with node --cpu-prof, writing the profile to DIR on exit
  --out FILE           results file (default bench/results/<date>.md; <date>-<workloads>.md with --only)
  --keep               keep Warren's temporary data directory and log
  --help               this text
`;

const parsers = {
  only: (v) => v.split(',').map((s) => s.trim()).filter(Boolean),
  brokers: (v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
  runs: positiveInt, seconds: positiveNumber, warmup: nonNegativeNumber, producers: positiveInt, consumers: positiveInt,
  ackEvery: positiveInt, maxBacklog: nonNegativeInt, amqpPort: nonNegativeInt, httpPort: nonNegativeInt, warrenPid: positiveInt,
  rabbitmqUrl: String, warrenUrl: String, cpuProf: String, out: String,
};

function parseOptions(argv) {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: HELP };
    if (arg === '--keep') { options.keep = true; continue; }
    const [flag, inline] = arg.split(/=(.*)/s);
    const name = flag.replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    if (!flag.startsWith('--') || !parsers[name]) throw new Error(`unknown option ${arg}; see --help`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    options[name] = parsers[name](value, flag);
  }
  const unknown = options.only.filter((key) => !workloads.some((w) => w.key === key));
  if (unknown.length) throw new Error(`unknown workload(s) ${unknown.join(', ')}; choose from ${workloads.map((w) => w.key).join(', ')}`);
  const badBroker = options.brokers.filter((b) => b !== 'warren' && b !== 'rabbitmq');
  if (badBroker.length) throw new Error(`--brokers accepts warren and rabbitmq, not ${badBroker.join(', ')}`);
  return options;
}

function positiveInt(v, flag) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} accepts a whole number of at least 1`);
  return n;
}

function nonNegativeInt(v, flag) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} accepts a whole number of at least 0`);
  return n;
}

function positiveNumber(v, flag) {
  const n = Number(v);
  if (!(n > 0)) throw new Error(`${flag} accepts a number above 0`);
  return n;
}

function nonNegativeNumber(v, flag) {
  const n = Number(v);
  if (!(n >= 0)) throw new Error(`${flag} accepts a number of at least 0`);
  return n;
}

module.exports = { parseOptions, HELP };
