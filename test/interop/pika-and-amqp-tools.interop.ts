/**
 * Clients that are not amqplib: Python pika (Debian's python3-pika) and
 * librabbitmq's amqp-tools each publish and consume against Warren.
 * .ci/run installs both.
 */
import { execFile } from 'child_process';
import { join } from 'path';
import { promisify } from 'util';
import { useWarren } from '../support/warren-app';

const run = promisify(execFile);
jest.setTimeout(60000);

describe('other AMQP clients', () => {
  const warren = useWarren();
  const url = () => `amqp://guest:guest@127.0.0.1:${warren.amqpPort}`;

  it('Python pika publishes with confirms and consumes with acks', async () => {
    const script = join(__dirname, 'fixtures', 'pika_roundtrip.py');
    const { stdout } = await run('/usr/bin/python3', [script, String(warren.amqpPort), 'interop.pika', '20'], { timeout: 30000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result.product).toBe('Warren');
    expect(result.received).toHaveLength(20);
    const bodies = result.received.map((m: { body: string }) => m.body).sort();
    expect(bodies).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i}`).sort());
    expect(result.received[0]).toMatchObject({ content_type: 'text/plain', headers: { who: 'pika' } });
  });

  it('amqp-tools: amqp-declare-queue, amqp-publish, amqp-get and amqp-consume', async () => {
    await run('amqp-declare-queue', ['-u', url(), '-q', 'interop.tools']);
    for (const body of ['first', 'second', 'third']) {
      await run('amqp-publish', ['-u', url(), '-r', 'interop.tools', '-C', 'text/plain', '-b', body]);
    }
    const got = await run('amqp-get', ['-u', url(), '-q', 'interop.tools']);
    expect(got.stdout).toBe('first');
    const consumed = await run('amqp-consume', ['-u', url(), '-q', 'interop.tools', '-c', '2', 'cat'], { timeout: 20000 });
    expect(consumed.stdout).toBe('secondthird');
    await expect(run('amqp-get', ['-u', url(), '-q', 'interop.tools'])).rejects.toMatchObject({ code: 2 });
  });
});
