/**
 * The child side of the generator protocol. The orchestrator (bench/lib/generator.js)
 * sends { id, cmd, arg } and awaits { id, ok, result | error }. A generator provides
 * setup(params), start(), snapshot() and stop(); the counters in a snapshot are
 * cumulative, and every snapshot carries the child's own clock and CPU time so the
 * parent can turn two of them into rates and a CPU share.
 */
function serve(generator) {
  process.on('message', async ({ id, cmd, arg }) => {
    try {
      const result = cmd === 'snapshot' ? stamp(generator.snapshot()) : await generator[cmd](arg);
      process.send({ id, ok: true, result: result ?? null });
      if (cmd === 'stop') setImmediate(() => process.exit(0));
    } catch (error) {
      process.send({ id, ok: false, error: String(error?.stack ?? error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

function stamp(counters) {
  const cpu = process.cpuUsage();
  return { ...counters, atNs: Number(process.hrtime.bigint()), cpuMicros: cpu.user + cpu.system };
}

/** A connection or channel error ends the generator; the parent reports the run as failed. */
function failOn(emitter, what) {
  emitter.on('error', (error) => fail(`${what} error: ${error.message}`));
}

function fail(message) {
  process.stderr.write(`${process.argv[1]}: ${message}\n`);
  process.exit(2);
}

module.exports = { serve, failOn, fail };
