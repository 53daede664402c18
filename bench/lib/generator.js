/**
 * The parent side of the generator protocol (bench/generators/ipc.js): forks a
 * generator script as its own process and turns its replies into promises. A
 * generator that dies fails every call still waiting on it, so a broken run shows
 * up as an error in its table cell instead of hanging the benchmark.
 */
const { spawn } = require('child_process');
const path = require('path');

const GENERATORS = path.join(__dirname, '..', 'generators');
const STOP_GRACE_MS = 10_000;

class Generator {
  /**
   * @param name shown in errors and in the CPU report, e.g. "consumer 1"
   * @param script a file in bench/generators
   * @param openFiles when set, the child runs under `ulimit -n` so it can hold that many sockets
   */
  constructor(name, script, { openFiles } = {}) {
    this.name = name;
    this.pending = new Map();
    this.nextId = 1;
    const file = path.join(GENERATORS, script);
    const stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
    // A shell that execs node keeps the pid and passes the IPC channel on (NODE_CHANNEL_FD).
    this.child = openFiles
      ? spawn('sh', ['-c', `ulimit -n ${openFiles} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$1"`, process.execPath, file], { stdio })
      : spawn(process.execPath, [file], { stdio });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.on('message', (reply) => this.settle(reply));
    this.exited.then(({ code, signal }) => {
      for (const { reject } of this.pending.values()) reject(new Error(`${this.name} exited (${signal ?? `code ${code}`})`));
      this.pending.clear();
    });
  }

  static async start(name, script, params, options) {
    const generator = new Generator(name, script, options);
    generator.params = params;
    generator.setupResult = await generator.call('setup', params);
    return generator;
  }

  call(cmd, arg) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, cmd, arg }, (error) => {
        if (error) {
          this.pending.delete(id);
          reject(new Error(`${this.name}: ${error.message}`));
        }
      });
    });
  }

  settle({ id, ok, result, error }) {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (ok) waiting.resolve(result);
    else waiting.reject(new Error(`${this.name}: ${error}`));
  }

  snapshot() {
    return this.call('snapshot');
  }

  /** Asks the generator to close its connections and exit; kills it if it does not. */
  async stop(arg) {
    let final = null;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const timeout = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
      final = await this.call('stop', arg).catch(() => null);
      await this.exited;
      clearTimeout(timeout);
    }
    return final;
  }

  kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

module.exports = { Generator };
