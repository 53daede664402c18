/**
 * What Warren logs, as a user starting it sees it: at info, one line per
 * lifecycle event and none of Nest's route mapping (that is debug), and one
 * line per connection opened and closed with user, vhost, peer, the client's
 * name and why it closed.
 */
import * as amqp from 'amqplib';
import { startBroker } from '../../support/broker-process';
import { useTestDatabase } from '../../support/test-database';
import { waitFor } from '../amqp/support/clients';

jest.setTimeout(180000);

/** Transpiling src at start takes a while on a busy machine. */
const STARTUP_MS = 90000;

const messages = (output: string): { message: string; context: string; level: string }[] =>
  output.trim().split('\n').map((line) => JSON.parse(line));

describe('logging', () => {
  const database = useTestDatabase();

  it('prints one line per lifecycle event at info, and one per connection opened and closed', async () => {
    const broker = await startBroker({ DATABASE_URL: database.url, LOG_LEVEL: 'info', PROMETHEUS_PORT: '0' }, STARTUP_MS);
    try {
      const startup = messages(broker.output()).map((line) => line.message);
      expect(startup.some((m) => m.startsWith('Warren ready'))).toBe(true);
      expect(startup.some((m) => /^AMQP listening on /.test(m))).toBe(true);
      expect(startup.some((m) => /^HTTP API listening on /.test(m))).toBe(true);
      expect(startup.filter((m) => m.startsWith('Mapped {'))).toEqual([]);
      expect(startup.length).toBeLessThanOrEqual(8);

      const connection = await amqp.connect(`amqp://guest:guest@127.0.0.1:${broker.amqpPort}`, { clientProperties: { connection_name: 'log-probe' } });
      const port = (connection.connection as unknown as { stream: { localPort: number } }).stream.localPort;
      const who = `127.0.0.1:${port} -> 127.0.0.1:${broker.amqpPort}, user 'guest', vhost '/', client 'log-probe'`;
      await waitFor(() => broker.output().includes(`connection opened: ${who}`), 'the opened line');
      await connection.close();
      await waitFor(() => broker.output().includes(`connection closed: ${who}: closed by client`), 'the closed line');

      const dropped = await amqp.connect(`amqp://guest:guest@127.0.0.1:${broker.amqpPort}`);
      dropped.on('error', () => undefined);
      const droppedPort = (dropped.connection as unknown as { stream: { localPort: number; destroy(): void } }).stream;
      const droppedName = `127.0.0.1:${droppedPort.localPort} -> 127.0.0.1:${broker.amqpPort}, user 'guest', vhost '/'`;
      droppedPort.destroy();
      await waitFor(() => broker.output().includes(`connection closed: ${droppedName}: client unexpectedly closed TCP connection`), 'the abrupt close');
      const connectionLines = messages(broker.output()).filter((line) => line.context === 'Connections');
      expect(connectionLines).toHaveLength(4);
      expect(connectionLines.every((line) => line.level === 'log')).toBe(true);
    } finally {
      await broker.stop();
    }
  });

  it('shows Nest\'s route mapping at debug', async () => {
    const broker = await startBroker({ DATABASE_URL: database.url, LOG_LEVEL: 'debug', PROMETHEUS_PORT: '0' }, STARTUP_MS);
    try {
      const lines = messages(broker.output());
      expect(lines).toContainEqual(expect.objectContaining({ level: 'debug', message: 'Mapped {/api/queues, GET} route' }));
    } finally {
      await broker.stop();
    }
  });
});
