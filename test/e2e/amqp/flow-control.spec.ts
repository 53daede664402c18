/**
 * Memory never grows without bound: a publisher that outruns its consumers is
 * blocked (connection.blocked, socket no longer read) once queues hold
 * QUEUE_MEMORY_LIMIT bytes, and a consumer that stops reading its socket stops
 * receiving pushes until it drains.
 */
import * as amqp from 'amqplib';
import { connect, Socket } from 'net';
import { decodeMethod, encodeMethodFrame, FRAME_METHOD, fromPlain, parseFrame, PROTOCOL_HEADER } from '../../../src/amqp/codec';
import { TopologyService } from '../../../src/broker/topology/topology-service';
import { useWarren } from '../../support/warren-app';

jest.setTimeout(60000);

const LIMIT = 1024 * 1024;
const BODY = Buffer.alloc(64 * 1024, 7);

async function waitFor(condition: () => boolean, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((done) => setTimeout(done, 20));
  }
}

describe('flow control', () => {
  const warren = useWarren({ QUEUE_MEMORY_LIMIT: String(LIMIT) });
  const queueDepth = (name: string) => warren.app.get(TopologyService).queue('/', name).messageCount;

  it('blocks a publisher past the memory limit and unblocks it when consumers catch up, losing nothing', async () => {
    const publisher = await amqp.connect(warren.amqpUrl);
    const consumer = await amqp.connect(warren.amqpUrl);
    try {
      const events: string[] = [];
      publisher.on('blocked', (reason) => events.push(`blocked: ${reason}`));
      publisher.on('unblocked', () => events.push('unblocked'));
      const out = await publisher.createChannel();
      await out.assertQueue('flow.backlog');
      const total = 60; // 3.75 MiB, well past the 1 MiB limit
      for (let i = 0; i < total; i++) out.sendToQueue('flow.backlog', BODY, { messageId: String(i) });
      await waitFor(() => events.includes('blocked: low on memory'));
      // The socket is no longer read, so the backlog stops growing near the limit.
      await new Promise((done) => setTimeout(done, 300));
      const heldWhileBlocked = queueDepth('flow.backlog');
      expect(heldWhileBlocked * BODY.length).toBeLessThan(LIMIT + 8 * BODY.length);
      expect(heldWhileBlocked).toBeLessThan(total);

      const inbound = await consumer.createChannel();
      const seen = new Set<string>();
      await inbound.consume('flow.backlog', (message) => {
        seen.add(message!.properties.messageId);
        inbound.ack(message!);
      });
      await waitFor(() => seen.size === total);
      expect(events).toContain('unblocked');
      expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: total }, (_, i) => String(i)));
    } finally {
      await publisher.close().catch(() => undefined);
      await consumer.close().catch(() => undefined);
    }
  });

});

describe('socket backpressure', () => {
  const warren = useWarren();
  const queueDepth = (name: string) => warren.app.get(TopologyService).queue('/', name).messageCount;

  it('stops pushing to a consumer whose socket is not read, and resumes when it drains', async () => {
    const setup = await amqp.connect(warren.amqpUrl);
    const channel = await setup.createChannel();
    await channel.assertQueue('flow.slow-reader');
    const socket = await rawConsumer(warren.amqpPort, 'flow.slow-reader');
    try {
      socket.pause(); // never read: the broker's writes pile up in its socket buffer
      // Far more than loopback's kernel buffers can absorb (a few MiB each way).
      const total = 800;
      for (let i = 0; i < total; i++) channel.sendToQueue('flow.slow-reader', BODY);
      await waitFor(() => warren.app.get(TopologyService).queue('/', 'flow.slow-reader').stats.publish === total);
      await new Promise((done) => setTimeout(done, 300));
      // With no-ack and no prefetch, only backpressure keeps messages in the queue.
      expect(queueDepth('flow.slow-reader')).toBeGreaterThan(total / 2);
      let received = 0;
      socket.on('data', (chunk: Buffer) => (received += chunk.length));
      socket.resume();
      await waitFor(() => queueDepth('flow.slow-reader') === 0);
      await waitFor(() => received >= total * BODY.length);
    } finally {
      socket.destroy();
      await setup.close().catch(() => undefined);
    }
  });
});

/** A consumer in no-ack mode over a raw socket, so the test controls when it reads. */
async function rawConsumer(port: number, queue: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  const send = (channel: number, name: Parameters<typeof encodeMethodFrame>[1], args: object) =>
    socket.write(encodeMethodFrame(channel, name, args as never));
  await new Promise<void>((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let frame = parseFrame(buffer, 0, 1 << 20); frame; frame = parseFrame(buffer, 0, 1 << 20)) {
        buffer = buffer.subarray(frame.end);
        if (frame.type !== FRAME_METHOD) continue;
        const method = decodeMethod(frame.payload);
        if (method.name === 'connection.start') {
          send(0, 'connection.start-ok', { clientProperties: fromPlain({}), mechanism: 'PLAIN', response: Buffer.from('\0guest\0guest'), locale: 'en_US' });
        } else if (method.name === 'connection.tune') {
          send(0, 'connection.tune-ok', { channelMax: 0, frameMax: 131072, heartbeat: 0 });
          send(0, 'connection.open', { virtualHost: '/' });
        } else if (method.name === 'connection.open-ok') {
          send(1, 'channel.open', {});
        } else if (method.name === 'channel.open-ok') {
          send(1, 'basic.consume', { queue, consumerTag: 'raw', noLocal: false, noAck: true, exclusive: false, nowait: false, arguments: {} });
        } else if (method.name === 'basic.consume-ok') {
          socket.off('data', onData);
          resolve();
        } else if (method.name === 'connection.close' || method.name === 'channel.close') {
          reject(new Error(`closed: ${JSON.stringify(method.args)}`));
        }
      }
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.write(PROTOCOL_HEADER);
  });
  return socket;
}
