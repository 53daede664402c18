/**
 * Starts Warren from dist/ on side ports with a fresh DATA_DIR (so it runs its own
 * embedded PostgreSQL), waits for its "Warren ready" line, and stops it with
 * SIGTERM. Its log goes to a file beside the data directory.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

async function startWarren({ amqpPort, httpPort, workDir, cpuProfDir, openFiles }) {
  const dataDir = path.join(workDir, 'data');
  const logFile = path.join(workDir, 'warren.log');
  const env = { ...process.env, AMQP_PORT: String(amqpPort), HTTP_PORT: String(httpPort), PROMETHEUS_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL; // always the embedded PostgreSQL in a fresh directory
  const nodeArgs = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const main = path.join(ROOT, 'dist', 'src', 'main.js');
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run npm run build (npm run bench does)`);
  // Warren writes its log straight to the file, so it outlives a benchmark that dies
  // mid-run; exec keeps the pid, so child.pid is Warren's node process.
  const log = fs.openSync(logFile, 'a');
  const child = spawn('sh', ['-c', `ulimit -n ${openFiles} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"`, 'sh', process.execPath, ...nodeArgs, main],
    { cwd: ROOT, env, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  // Whatever ends the benchmark, Warren goes with it.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  exited.then(() => process.removeListener('exit', stopOnExit));
  await waitForReady(logFile, exited);
  return {
    pid: child.pid,
    logFile,
    url: `amqp://guest:guest@127.0.0.1:${amqpPort}`,
    /** Sends SIGTERM and resolves with the exit code (SIGKILL after a deadline). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

async function waitForReady(logFile, exited) {
  let gone = null;
  exited.then((status) => { gone = status; });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!fs.readFileSync(logFile, 'utf8').includes('Warren ready')) {
    if (gone) throw new Error(`Warren exited during startup (${gone.signal ?? `code ${gone.code}`}); see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`Warren not ready after ${READY_TIMEOUT_MS / 1000}s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = { startWarren };
