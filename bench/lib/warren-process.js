/**
 * Starts Warren from dist/ as a child process, waits for its "Warren ready" line
 * (which also names the ports it took, so port 0 works), and stops or kills it.
 * Without `databaseUrl` it gets a DATA_DIR in `workDir` and runs its own
 * embedded PostgreSQL there; a restart with the same `workDir` reuses the data.
 * Its log is appended to a file beside the data directory.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const READY_LINE = /Warren ready: AMQP on port (\d+), HTTP on port (\d+)/;

async function startWarren({ amqpPort, httpPort, workDir, cpuProfDir, openFiles = 4096, databaseUrl }) {
  const dataDir = path.join(workDir, 'data');
  const logFile = path.join(workDir, 'warren.log');
  const env = { ...process.env, AMQP_PORT: String(amqpPort), HTTP_PORT: String(httpPort), PROMETHEUS_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  // Never a DATABASE_URL from the caller's environment: the embedded PostgreSQL, or the one asked for.
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const nodeArgs = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const main = path.join(ROOT, 'dist', 'src', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build (npm run bench does)`);
  // Warren writes its log straight to the file, so it outlives a benchmark that dies
  // mid-run; exec keeps the pid, so child.pid is Warren's node process.
  const log = fs.openSync(logFile, 'a');
  const logStart = fs.fstatSync(log).size; // an earlier run's "ready" line must not count
  const child = spawn('sh', ['-c', `ulimit -n ${openFiles} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`, 'sh', process.execPath, ...nodeArgs, main],
    { cwd: ROOT, env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // Whatever ends the benchmark, Warren goes with it.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  exited.then(() => process.removeListener('exit', stopOnExit));
  const ports = await waitForReady(logFile, logStart, exited);
  return {
    pid: child.pid,
    logFile,
    amqpPort: ports.amqp,
    httpPort: ports.http,
    url: `amqp://guest:guest@127.0.0.1:${ports.amqp}`,
    /** Resolves with { code, signal } once Warren has exited. */
    exited,
    /** Sends SIGTERM and resolves with the exit code (SIGKILL after a deadline). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    /** kill -9: no shutdown hooks run. Resolves once the process is gone. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

async function waitForReady(logFile, logStart, exited) {
  let gone = null;
  exited.then((status) => { gone = status; });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = READY_LINE.exec(fs.readFileSync(logFile).subarray(logStart).toString('utf8'));
    if (ready) return { amqp: Number(ready[1]), http: Number(ready[2]) };
    if (gone) throw new Error(`Warren exited during startup (${gone.signal ?? `code ${gone.code}`}); see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`Warren not ready after ${READY_TIMEOUT_MS / 1000}s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = { startWarren };
