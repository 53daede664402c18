/**
 * Issue 9, defect 3: SIGTERM while the message store cannot write. Warren must
 * not wait for a database that may never come back: it exits within 10 s, and
 * its log says which publishes were never confirmed (connection, channel and
 * delivery tags), so an operator knows what its publishers must resend.
 */
import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EmbeddedPostgres } from '../../../src/store/postgres/embedded-postgres';
import { startBroker } from '../../support/broker-process';

jest.setTimeout(120000);

describe('shutdown while the message store is failing', () => {
  it('exits within 10 s and logs the confirms that were never sent', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'warren-pg-down-'));
    const postgres = new EmbeddedPostgres({ dataDir, database: 'warren', log: () => undefined });
    try {
      const broker = await startBroker({ DATABASE_URL: await postgres.start() });
      const confirmed: number[] = [];
      const publisher = spawn(process.execPath, [
        join(__dirname, 'fixtures', 'confirmed-publisher.js'), `amqp://guest:guest@127.0.0.1:${broker.amqpPort}`, 'shutdown.store-down', '100000',
      ], { stdio: ['ignore', 'pipe', 'ignore'] });
      publisher.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line) confirmed.push(Number(line));
      });
      for (const deadline = Date.now() + 30000; confirmed.length < 1000; await new Promise((d) => setTimeout(d, 20))) {
        if (Date.now() > deadline) throw new Error('publisher got no confirms');
      }
      await postgres.stop();
      await new Promise((done) => setTimeout(done, 1000));

      const started = Date.now();
      const code = await broker.stop('SIGTERM');
      const tookMs = Date.now() - started;
      publisher.kill('SIGKILL');

      expect(tookMs).toBeLessThan(10000);
      const log = broker.output();
      // The publisher keeps up to 500 publishes in flight; those past the last confirm were never confirmed.
      const unconfirmed = /channel 1: (\d+) publishes? never confirmed \(delivery tags? ([\d, –-]+)\)/.exec(log);
      expect(unconfirmed).not.toBeNull();
      expect(Number(unconfirmed![1])).toBeGreaterThan(0);
      expect(log).not.toMatch(/shutdown did not finish/);
      expect(code).not.toBeNull();
    } finally {
      await postgres.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
