/**
 * Confirmed means safe. A child process publishes persistent messages with
 * confirms and prints each id as its confirm arrives; mid-stream the broker is
 * killed with SIGKILL (or PostgreSQL is restarted under it); after a restart
 * the queue is drained and every confirmed id must be there.
 */
import { ChildProcess, spawn } from 'child_process';
import * as amqp from 'amqplib';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EmbeddedPostgres } from '../../../src/store/postgres/embedded-postgres';
import { BrokerProcess, startBroker } from '../../support/broker-process';
import { useTestDatabase } from '../../support/test-database';

jest.setTimeout(600000);

const ROOT = join(__dirname, '..', '..', '..');
/** Modest in the suite; by hand: CRASH_MESSAGES=300000 CRASH_KILL_AFTER=100000 npx jest test/e2e/durability -t SIGKILL */
const CRASH_MESSAGES = Number(process.env.CRASH_MESSAGES ?? 50000);
const CRASH_KILL_AFTER = Number(process.env.CRASH_KILL_AFTER ?? 3000);

interface Publisher {
  child: ChildProcess;
  confirmed: Set<number>;
  exited: Promise<number | null>;
}

function startPublisher(port: number, queue: string, count: number): Publisher {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'confirmed-publisher.js'), `amqp://guest:guest@127.0.0.1:${port}`, queue, String(count)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const confirmed = new Set<number>();
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line) confirmed.add(Number(line));
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, confirmed, exited };
}

async function until(condition: () => boolean, timeoutMs = 60000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); await new Promise((d) => setTimeout(d, 10))) {
    if (Date.now() > deadline) throw new Error('timed out');
  }
}

async function drain(port: number, queue: string): Promise<Set<number>> {
  const connection = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}`);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    const seen = new Set<number>();
    if (messageCount === 0) return seen;
    await channel.prefetch(1000);
    await new Promise<void>((done) => {
      void channel.consume(queue, (message) => {
        seen.add(Number(message!.properties.messageId));
        channel.ack(message!);
        if (seen.size === messageCount) done();
      });
    });
    return seen;
  } finally {
    await connection.close();
  }
}

const missing = (confirmed: Set<number>, drained: Set<number>) => [...confirmed].filter((id) => !drained.has(id));

describe('crash safety', () => {
  const database = useTestDatabase();
  let broker: BrokerProcess | undefined;
  afterEach(async () => {
    await broker?.stop('SIGKILL');
    broker = undefined;
  });

  it('keeps every confirmed message when the broker is killed with SIGKILL mid-stream', async () => {
    broker = await startBroker({ DATABASE_URL: database.url });
    const publisher = startPublisher(broker.amqpPort, 'crash.sigkill', CRASH_MESSAGES);
    await until(() => publisher.confirmed.size >= CRASH_KILL_AFTER, 300000);
    await broker.stop('SIGKILL');
    await publisher.exited;
    const confirmed = new Set(publisher.confirmed);
    expect(confirmed.size).toBeLessThan(CRASH_MESSAGES);

    broker = await startBroker({ DATABASE_URL: database.url, AMQP_PORT: '0' });
    const drained = await drain(broker.amqpPort, 'crash.sigkill');
    expect(missing(confirmed, drained)).toEqual([]);
    expect(drained.size).toBeGreaterThanOrEqual(confirmed.size);
  });

  it('keeps every confirmed message across a PostgreSQL restart mid-stream, and resumes without a broker restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'warren-pg-restart-'));
    const postgres = new EmbeddedPostgres({ dataDir, database: 'warren', log: () => undefined });
    try {
      const url = await postgres.start();
      broker = await startBroker({ DATABASE_URL: url });
      const health = async () => (await fetch(`http://127.0.0.1:${broker!.httpPort}/api/health`)).status;
      const publisher = startPublisher(broker.amqpPort, 'crash.pg-restart', 6000);
      await until(() => publisher.confirmed.size >= 1500);
      await postgres.stop();
      const during = publisher.confirmed.size;
      expect(await health()).toBe(503);
      await new Promise((done) => setTimeout(done, 1000));
      // Nothing is confirmed while nothing can be written.
      expect(publisher.confirmed.size).toBeLessThan(during + 1000);
      await postgres.start();
      expect(await publisher.exited).toBe(0);
      expect(publisher.confirmed.size).toBe(6000);
      expect(await health()).toBe(200);
      const drained = await drain(broker.amqpPort, 'crash.pg-restart');
      expect(missing(publisher.confirmed, drained)).toEqual([]);
      await broker.stop('SIGTERM');
      broker = undefined;
    } finally {
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
