#!/usr/bin/env node
/**
 * npm run bench: Warren and RabbitMQ side by side. Starts Warren on side ports
 * with a fresh data directory (its own embedded PostgreSQL), runs every selected
 * workload against both brokers with the same load generators, alternating which
 * broker goes first, and prints one table of medians with the ratio. The table
 * and the per-run details go to bench/results/. See docs/benchmarks.md.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseOptions } = require('./lib/options');
const { startWarren } = require('./lib/warren-process');
const { Target } = require('./lib/target');
const { machineFacts } = require('./lib/system');
const { sleep } = require('./lib/measure');
const report = require('./lib/report');
const { format, percent } = require('./lib/stats');
const workloads = require('./workloads');

const PAUSE_BETWEEN_RUNS_MS = 1000;
const RESULTS = path.join(__dirname, 'results');

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
  if (options.help) return console.log(options.help);
  options.amqplibVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('amqplib')), 'package.json'), 'utf8')).version;
  options.command = `node bench/run.js ${process.argv.slice(2).join(' ')}`.trim();
  if (options.runs < 3) console.log(`note: ${options.runs} run(s) per workload; medians want at least 3`);

  process.stdout.on('error', () => undefined); // a closed pipe (| head) must not stop the cleanup
  const session = new Session(options);
  process.once('SIGINT', () => session.interrupt());
  process.once('SIGTERM', () => session.interrupt());
  try {
    await session.open();
    const results = await session.runAll(workloads.filter((w) => options.only.includes(w.key)));
    const { table, notes } = report.table(results);
    console.log(`\n${table}\n${notes.map((n) => `- ${n}`).join('\n')}`);
    const file = writeResults(results, options);
    console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
    if (options.cpuProf && session.warren) writeProfileWindows(results, options.cpuProf);
  } finally {
    await session.close();
  }
}

class Session {
  constructor(options) {
    this.options = options;
    this.targets = {};
    this.warren = null;
    this.workDir = null;
  }

  async open() {
    const { options } = this;
    if (options.brokers.includes('warren')) {
      if (options.warrenUrl) {
        this.targets.Warren = await Target.connect('Warren', options.warrenUrl, options.warrenPid);
      } else {
        this.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warren-bench-'));
        // mkdtemp makes it 0700; run as root, Warren hands PostgreSQL to user postgres, which must enter it.
        fs.chmodSync(this.workDir, 0o755);
        console.log(`starting Warren on port ${options.amqpPort} with data in ${this.workDir} ...`);
        if (options.cpuProf) fs.mkdirSync(options.cpuProf, { recursive: true });
        this.warren = await startWarren({
          amqpPort: options.amqpPort, httpPort: options.httpPort, workDir: this.workDir,
          cpuProfDir: options.cpuProf && path.resolve(options.cpuProf), openFiles: 65536,
        });
        this.targets.Warren = await Target.connect('Warren', this.warren.url, this.warren.pid);
        this.targets.Warren.storeInChildProcesses = true; // embedded PostgreSQL: no DATABASE_URL was passed
      }
    }
    if (options.brokers.includes('rabbitmq')) this.targets.RabbitMQ = await Target.connect('RabbitMQ', options.rabbitmqUrl);
    for (const t of Object.values(this.targets)) {
      const pid = t.pid ? `pid ${t.pid} (${t.usage()?.name ?? '?'})` : 'pid unknown: no memory or CPU figures';
      console.log(`${t.name}: ${t.product} ${t.version} at ${t.url}, ${pid}`);
    }
  }

  async runAll(selected) {
    const { options } = this;
    const names = Object.keys(this.targets);
    const entries = selected.map((workload) => ({ workload, runs: Object.fromEntries(names.map((n) => [n, []])) }));
    const results = { date: today(), facts: machineFacts(), options, targets: this.targets, workloads: entries };
    // The table keeps the numbered order; a workload that wants a quiet broker (memory) runs first.
    const order = [...entries.filter((e) => e.workload.runFirst), ...entries.filter((e) => !e.workload.runFirst)];
    for (const { workload, runs } of order) {
      for (let i = 0; i < options.runs; i++) {
        // Alternate who goes first, so drift on a noisy machine does not favour one broker.
        for (const name of i % 2 ? [...names].reverse() : names) {
          if (this.interrupted) throw new Error('interrupted');
          process.stdout.write(`${workload.title} | ${name} run ${i + 1}/${options.runs} ... `);
          const run = await workload.run(this.targets[name], options).catch((error) => ({ error: String(error?.message ?? error) }));
          runs[name].push(run);
          console.log(summary(workload, run));
          await sleep(PAUSE_BETWEEN_RUNS_MS);
        }
      }
      for (const name of names) {
        const target = this.targets[name];
        await Promise.resolve(workload.finish?.(target)).then(() => target.cleanup())
          .catch((e) => console.log(`cleanup of ${workload.key} on ${name} failed: ${e.message}`));
      }
    }
    return results;
  }

  interrupt() {
    this.interrupted = true;
    console.log('\ninterrupted: cleaning up');
    this.close().finally(() => process.exit(130));
  }

  /** Deletes what the benchmark declared, then stops the Warren it started. Safe to call twice. */
  async close() {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      for (const target of Object.values(this.targets)) {
        await target.cleanup().catch((e) => console.log(`cleanup on ${target.name} failed: ${e.message}`));
        await target.close();
      }
      let clean = Boolean(this.warren); // a Warren that failed to start leaves its log for reading
      if (this.warren) {
        const { code, signal } = await this.warren.stop();
        clean = code === 0;
        console.log(`Warren stopped: ${signal ? `signal ${signal}` : `exit code ${code}`}${clean ? '' : `; see ${this.warren.logFile}`}`);
      }
      if (this.workDir && clean && !this.options.keep) fs.rmSync(this.workDir, { recursive: true, force: true });
      else if (this.workDir) console.log(`kept ${this.workDir}`);
    })();
    return this.closing;
  }
}

function summary(workload, run) {
  if (run.error) return `failed: ${run.error.split('\n')[0]}`;
  const figures = workload.rows.map((row) => `${row.metric} ${format(run[row.metric], row.unit)} ${row.unit}`);
  const cpu = (run.processes ?? []).map((p) => `${p.name} ${percent(p.cpu)}`);
  if (run.brokerCpu !== undefined && run.brokerCpu !== null) cpu.unshift(`broker ${percent(run.brokerCpu)}`);
  return `${figures.join(', ')}${cpu.length ? ` [cpu: ${cpu.join(', ')}]` : ''}`;
}

function writeResults(results, options) {
  const all = options.only.length === workloads.length;
  const file = options.out
    ? path.resolve(options.out)
    : path.join(RESULTS, `${results.date}${all ? '' : `-${options.only.join('+')}`}.md`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, report.markdown(results));
  return file;
}

/**
 * Beside Warren's .cpuprofile: when each measured window ran, so that
 * bench/profile-summary.js can leave out startup, warm-up and shutdown.
 */
function writeProfileWindows(results, dir) {
  const windows = results.workloads.flatMap(({ workload, runs }) => (runs.Warren ?? [])
    .filter((run) => run.windowUs).map((run, i) => ({ workload: workload.key, run: i + 1, fromUs: run.windowUs[0], toUs: run.windowUs[1] })));
  const file = path.join(path.resolve(dir), 'windows.json');
  fs.writeFileSync(file, JSON.stringify(windows, null, 2));
  console.log(`profile: Warren writes its .cpuprofile to ${dir} as it exits; measured windows in ${file}`);
}

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  process.exitCode = 1;
});
