/**
 * Runs Warren as a real child process (src/main.ts through scripts/register-ts.js),
 * the way a user starts it, and reads the ports it chose from its "ready" log line.
 */
import { ChildProcess, spawn } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

/**
 * Starting transpiles every source file on the fly: about 3 s on an idle machine,
 * and over 25 s on the shared 2-core one under load, hence the generous default.
 */
const START_TIMEOUT_MS = 90000;

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
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AMQP_PORT: '0', HTTP_PORT: '0', LOG_LEVEL: 'info', ...env },
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

/** Starts Warren and waits until it says it is ready. */
export async function startBroker(env: Record<string, string>, timeoutMs = START_TIMEOUT_MS): Promise<BrokerProcess> {
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
export async function runBrokerToExit(env: Record<string, string>, timeoutMs = START_TIMEOUT_MS): Promise<RunResult> {
  const { child, output, exited } = launch(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  return { code, output: output() };
}
