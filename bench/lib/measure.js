/**
 * One timed run: generators are started, left to warm up, then two snapshots
 * bracket the measured window. Rates come from each generator's own clock; CPU
 * shares come from each process's CPU time over the same window, for the
 * generators, the broker and the machine as a whole.
 *
 * While it runs, a pacer compares the copies producers have published with what
 * consumers have received, and tells producers to hold off while the difference
 * per queue exceeds --max-backlog. It relies on no broker feature, so both
 * brokers are paced alike; it keeps the figure an end-to-end rate rather than
 * the speed of filling a queue that nobody drains.
 */
const os = require('os');
const { Generator } = require('./generator');
const { machineCpu } = require('./system');

const CLIENT_BOUND_CPU = 0.9;
const PACE_EVERY_MS = 20;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param roles { queues, consumers: [{ name, script, params }], producers: [...] };
 *   consumers are set up first so that nothing is published before someone listens.
 * @param onWindow optional, called with the generators and both snapshots (latency uses it)
 */
async function measureWindow(target, roles, { warmup, seconds, maxBacklog }, onWindow) {
  const generators = [];
  let pacer;
  try {
    for (const spec of [...roles.consumers, ...roles.producers]) {
      const generator = await Generator.start(spec.name, spec.script, spec.params, spec.options);
      generator.isProducer = roles.producers.includes(spec);
      generators.push(generator);
    }
    for (const g of generators) await g.call('start');
    if (maxBacklog > 0 && roles.producers.length) pacer = pace(generators, roles.queues, maxBacklog);
    await sleep(warmup * 1000);
    const before = await sample(target, generators);
    await sleep(seconds * 1000);
    const after = await sample(target, generators);
    const extra = onWindow ? await onWindow(generators, before, after) : {};
    const result = { ...summarise(generators, before, after), ...extra, maxBacklogSeen: pacer?.deepest };
    // Only a Warren started here is known to keep its PostgreSQL in child processes.
    return { ...result, storeCpu: target.storeInChildProcesses ? result.brokerChildCpu : null };
  } finally {
    pacer?.stop();
    // Producers first (they were started last), so consumers are still draining while publishing stops.
    for (const g of [...generators].reverse()) await g.stop().catch(() => g.kill());
  }
}

function pace(generators, queues, maxBacklog) {
  const producers = generators.filter((g) => g.isProducer);
  const consumers = generators.filter((g) => !g.isProducer);
  const state = { holding: false, deepest: 0, stopped: false, stop: () => { state.stopped = true; } };
  const tick = async () => {
    if (state.stopped) return;
    try {
      const [sent, received] = await Promise.all([total(producers, 'expected'), total(consumers, 'delivered')]);
      const backlog = (sent - received) / queues;
      state.deepest = Math.max(state.deepest, backlog);
      const hold = backlog > maxBacklog;
      if (hold !== state.holding && !state.stopped) {
        state.holding = hold;
        await Promise.all(producers.map((p) => p.call('hold', hold)));
      }
    } catch {
      return; // a generator went away: the run reports that itself
    }
    setTimeout(tick, PACE_EVERY_MS);
  };
  tick();
  return state;
}

async function total(generators, field) {
  const snapshots = await Promise.all(generators.map((g) => g.snapshot()));
  return snapshots.reduce((sum, s) => sum + (s[field] ?? 0), 0);
}

async function sample(target, generators) {
  const snapshots = await Promise.all(generators.map((g) => g.snapshot()));
  // Microseconds of CLOCK_MONOTONIC, the clock V8 stamps .cpuprofile samples with.
  const atUs = Number(process.hrtime.bigint() / 1000n);
  return { snapshots, broker: target.usage(), machine: machineCpu(), atMs: performance.now(), atUs };
}

function summarise(generators, before, after) {
  const rates = { published: 0, routed: 0, expected: 0, delivered: 0, confirmed: 0 };
  const processes = [];
  generators.forEach((g, i) => {
    const a = before.snapshots[i];
    const b = after.snapshots[i];
    const elapsed = (b.atNs - a.atNs) / 1e9;
    for (const field of Object.keys(rates)) rates[field] += ((b[field] ?? 0) - (a[field] ?? 0)) / elapsed;
    const cpu = (b.cpuMicros - a.cpuMicros) / 1e6 / elapsed;
    processes.push({ name: g.name, cpu, clientBound: cpu >= CLIENT_BOUND_CPU, final: b });
  });
  const wallSeconds = (after.atMs - before.atMs) / 1000;
  const brokerCpu = before.broker && after.broker ? (after.broker.cpuSeconds - before.broker.cpuSeconds) / wallSeconds : null;
  // The broker's child processes: for Warren, its embedded PostgreSQL.
  const brokerChildCpu = before.broker && after.broker ? (after.broker.childCpuSeconds - before.broker.childCpuSeconds) / wallSeconds : null;
  const machineBusy = (after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total);
  // CPU (in cores) used by everything else on the machine: the noise this run competed with.
  const otherCpu = brokerCpu === null ? null
    : machineBusy * os.cpus().length - brokerCpu - brokerChildCpu - processes.reduce((sum, p) => sum + p.cpu, 0);
  return { ...rates, processes, brokerCpu, brokerChildCpu, machineBusy, otherCpu, windowUs: [before.atUs, after.atUs] };
}

module.exports = { measureWindow, sleep, CLIENT_BOUND_CPU };
