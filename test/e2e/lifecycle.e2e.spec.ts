/**
 * Issue 2's "done when": start on embedded PostgreSQL, answer health, reuse data on a
 * second start, exit 0 on SIGTERM leaving no PostgreSQL behind, and explain bad
 * configuration or a busy port in one line.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { createServer, Server } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { runBrokerToExit, startBroker } from '../support/broker-process';
import { useTestDatabase } from '../support/test-database';

// Up to two starts per test, each allowed START_DEADLINE_MS (test/support/broker-process.ts).
jest.setTimeout(300000);

function postgresProcessesFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `${dataDir}/pg`]).toString().trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10000): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((d) => setTimeout(d, 100))) {
    if (condition()) return true;
  }
  return condition();
}

const health = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/api/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('Warren lifecycle on embedded PostgreSQL', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'warren-lifecycle-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, reports healthy, and on SIGTERM exits 0 leaving no PostgreSQL running', async () => {
    const broker = await startBroker({ DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
    expect(broker.output()).toContain('initialised a new PostgreSQL cluster');
    expect(broker.output()).toMatch(/[1-9]\d* migration\(s\) applied/);
    const { status, body } = await health(broker.httpPort);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', checks: { database: { status: 'ok' }, amqp_listener: { status: 'ok' } } });
    expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);

    const started = Date.now();
    expect(await broker.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(10000);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    for (const line of broker.output().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('reuses the data of the first start on a second start, and exits 0 on SIGINT', async () => {
    const versionFile = join(dataDir, 'pg', 'PG_VERSION');
    expect(existsSync(versionFile)).toBe(true);
    const broker = await startBroker({ DATA_DIR: dataDir, LOG_LEVEL: 'debug' });
    expect(broker.output()).not.toContain('initialised a new PostgreSQL cluster');
    expect(broker.output()).toMatch(/0 migration\(s\) applied/);
    expect((await health(broker.httpPort)).status).toBe(200);
    expect(await broker.stop('SIGINT')).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  });

  it('answers 503 naming the database when PostgreSQL goes away', async () => {
    const broker = await startBroker({ DATA_DIR: dataDir });
    const postmasterPid = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmasterPid, 'SIGKILL');
    const { status, body } = await health(broker.httpPort);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 'failing', failing: ['database'], checks: { amqp_listener: { status: 'ok' } } });
    expect(await broker.stop('SIGTERM')).toBe(0);
  });

  it('leaves no PostgreSQL behind when Warren itself is killed with SIGKILL', async () => {
    const broker = await startBroker({ DATA_DIR: dataDir });
    expect(await broker.stop('SIGKILL')).toBeNull();
    expect(await waitFor(() => postgresProcessesFor(dataDir).length === 0)).toBe(true);
    const again = await startBroker({ DATA_DIR: dataDir });
    expect((await health(again.httpPort)).status).toBe(200);
    expect(await again.stop()).toBe(0);
  });

  it('stops with one line naming the port and the variable when a port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(0, done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runBrokerToExit({ DATA_DIR: dataDir, AMQP_PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.output).toContain(`port ${port} is already in use; set AMQP_PORT to a free port`);
      expect(result.output).not.toMatch(/\n\s+at /);
      expect(postgresProcessesFor(dataDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  describe('with DATABASE_URL', () => {
    const database = useTestDatabase();

    it('uses that server, runs the migrations there and starts no PostgreSQL of its own', async () => {
      const otherDataDir = mkdtempSync(join(tmpdir(), 'warren-url-'));
      try {
        const broker = await startBroker({ DATA_DIR: otherDataDir, DATABASE_URL: database.url });
        expect(broker.output()).toMatch(/connected to DATABASE_URL; [1-9]\d* migration\(s\) applied/);
        expect((await health(broker.httpPort)).status).toBe(200);
        expect(existsSync(join(otherDataDir, 'pg'))).toBe(false);
        expect(await broker.stop()).toBe(0);
      } finally {
        rmSync(otherDataDir, { recursive: true, force: true });
      }
    });
  });

  it.each([
    ['AMQP_PORT', 'seventy', 'AMQP_PORT accepts a TCP port from 0 to 65535'],
    ['HTTP_PORT', '70000', 'HTTP_PORT accepts a TCP port from 0 to 65535'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL accepts a postgres:// or postgresql:// URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL accepts one of fatal, error, warn, info, debug, verbose'],
  ])('refuses %s=%s with one line saying what it accepts', async (variable, value, expected) => {
    const result = await runBrokerToExit({ DATA_DIR: dataDir, [variable]: value });
    expect(result.code).toBe(1);
    expect(result.output.trim().split('\n')).toEqual([expect.stringContaining(expected)]);
  });
});
