/**
 * Runs Warren as a real child process (src/main.ts through scripts/register-ts.js),
 * the way a user starts it, and reads the ports it chose from its "ready" log line.
 */
import { ChildProcess, spawn } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

/** Whatever a failing test left running is killed when its file ends, so jest never waits on it. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

export interface BrokerProcess {
  child: ChildProcess;
  amqpPort: number;
  httpPort: number;
  output(): string;
  /** Sends the signal and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface RunResult {
  code: number | null;
  output: string;
}

function launch(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'scripts', 'register-ts.js'), join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AMQP_PORT: '0', HTTP_PORT: '0', PROMETHEUS_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  running.add(child);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => {
    running.delete(child);
    done(code);
  }));
  return { child, output: () => text, exited };
}

/**
 * How long a start may take before the test gives up. Generous on purpose: a start
 * transpiles src/ (scripts/register-ts.js) and may run initdb, and when jest runs
 * the crash test beside it on 2 cores, 30 s was not always enough. Only a failing
 * start ever waits this long.
 */
const START_DEADLINE_MS = 120000;

/** Starts Warren and waits until it says it is ready. */
export async function startBroker(env: Record<string, string>, timeoutMs = START_DEADLINE_MS): Promise<BrokerProcess> {
  const { child, output, exited } = launch(env);
  const deadline = Date.now() + timeoutMs;
  let ready: RegExpMatchArray | null = null;
  while (!ready) {
    ready = output().match(/Warren ready: AMQP on port (\d+), HTTP on port (\d+)/);
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Warren did not become ready:\n${output()}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    child,
    amqpPort: Number(ready[1]),
    httpPort: Number(ready[2]),
    output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs Warren expecting it to stop by itself (bad configuration, port in use). */
export async function runBrokerToExit(env: Record<string, string>, timeoutMs = START_DEADLINE_MS): Promise<RunResult> {
  const { child, output, exited } = launch(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  return { code, output: output() };
}
