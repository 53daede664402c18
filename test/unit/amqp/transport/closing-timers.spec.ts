/**
 * The closing timeout: how long each kind of close waits (RabbitMQ's rules), and
 * that the timer bounding a half-closed socket never keeps the process alive.
 */
import { spawn } from 'child_process';
import { join } from 'path';
import { closingTimeoutMs, HANDSHAKE_TIMEOUT_MS, LOST_SYNC_CLOSE_MS } from '../../../../src/amqp/protocol/closing-timeout';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('closingTimeoutMs (rabbit_reader: heartbeat when 0 < heartbeat < 30 s, else 30 s; handshake timeout before tune-ok)', () => {
  it.each([
    [undefined, 10000],
    [0, 30000],
    [1, 1000],
    [10, 10000],
    [29, 29000],
    [30, 30000],
    [60, 30000],
    [600, 30000],
  ])('heartbeat %p s -> %p ms', (heartbeat, expected) => {
    expect(closingTimeoutMs(heartbeat)).toBe(expected);
  });

  it('uses RabbitMQ’s constants: 10 s handshake timeout, 3 s after a frame error', () => {
    expect(HANDSHAKE_TIMEOUT_MS).toBe(10000);
    expect(LOST_SYNC_CLOSE_MS).toBe(3000);
  });
});

describe('a socket left half-closed does not keep the process alive', () => {
  interface Event {
    event: string;
    ms: number;
  }

  function runPeer(mode: string): Promise<{ code: number | null; events: Event[] }> {
    const child = spawn(process.execPath, ['-r', join(ROOT, 'scripts', 'register-ts.js'), join(__dirname, 'fixtures', 'half-closed-peer.ts'), mode], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    // Past the 30 s closing timeout the test has failed anyway: do not leave the child behind.
    const guard = setTimeout(() => child.kill('SIGKILL'), 25000);
    return new Promise((done) => child.once('exit', (code) => {
      clearTimeout(guard);
      done({ code, events: output.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Event) });
    }));
  }

  it.each([
    ['client-closes', 'connection.close-ok'],
    ['broker-closes', 'connection.close'],
  ])('%s: once %s is out and the client goes silent, the process exits at once, not after the 30 s closing timeout', async (mode, method) => {
    const { code, events } = await runPeer(mode);
    expect(code).toBe(0);
    const received = events.find((e) => e.event === `received ${method}`);
    const exit = events.find((e) => e.event === 'exit');
    expect(received).toBeDefined();
    expect(exit).toBeDefined();
    // The socket is still open (only the closing deadline would destroy it), and nothing else holds the loop.
    expect(events.map((e) => e.event)).not.toContain('broker socket closed');
    expect(exit!.ms - received!.ms).toBeLessThan(5000);
  }, 30000);
});
