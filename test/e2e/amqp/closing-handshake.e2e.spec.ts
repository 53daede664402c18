/**
 * The closing handshake on a raw socket, in both directions, as the spec and
 * RabbitMQ's reader do it: the peer that sent close closes the socket once it
 * has close-ok; nothing follows close-ok; frames other than close and close-ok
 * reaching a closing connection or channel are discarded; a peer that never
 * finishes is cut off after the closing timeout (the negotiated heartbeat when
 * it is under 30 s, 10 s during the handshake, 3 s after a frame error).
 */
import { fromPlain, PROTOCOL_HEADER } from '../../../src/amqp/codec';
import { useWarren } from '../../support/warren-app';
import { RawClient, ReceivedFrame } from './support/raw-client';
import { sleep, unique, useClients } from './support/clients';

jest.setTimeout(30000);

/** `channel:method` for method frames, `channel:header` / `channel:body` for content. */
function names(frames: readonly ReceivedFrame[]): string[] {
  return frames.map((f) => `${f.channel}:${f.method?.name ?? (f.type === 2 ? 'header' : 'body')}`);
}

/** Keeps the broker's heartbeat monitor satisfied, so that only the closing timeout can end the socket. */
function keepBeating(raw: RawClient): () => void {
  const timer = setInterval(() => raw.open && raw.sendHeartbeat(), 400);
  return () => clearInterval(timer);
}

/** Waits for the socket to close, at most `timeoutMs`; returns how long that took. */
async function closedWithin(raw: RawClient, timeoutMs: number): Promise<number> {
  const start = Date.now();
  await raw.closedOrAfter(timeoutMs);
  if (raw.open || raw.socket.readyState !== 'closed') throw new Error(`socket still open after ${timeoutMs} ms`);
  return Date.now() - start;
}

describe('AMQP closing handshake', () => {
  const warren = useWarren();
  const clients = useClients(warren);

  describe('the client begins', () => {
    it('connection.close: close-ok is the last frame, and Warren leaves closing the socket to the client', async () => {
      const raw = await clients.raw();
      raw.send(1, 'confirm.select', {});
      await raw.expectMethod(1, 'confirm.select-ok');
      const queue = unique('q.closing');
      raw.send(1, 'queue.declare', { queue, durable: true });
      await raw.expectMethod(1, 'queue.declare-ok');
      // A persistent publish is confirmed after its commit, which comes after close-ok: the ack must not follow it.
      raw.publish(1, { exchange: '', routingKey: queue }, Buffer.from('late'), { deliveryMode: 2 });
      raw.send(0, 'connection.close', { replyCode: 200, replyText: 'bye' });
      // Whatever a confused client sends after its close gets no answer, not even a second close-ok.
      raw.send(1, 'basic.qos', { prefetchCount: 1 });
      raw.send(0, 'connection.close', { replyCode: 200, replyText: 'bye again' });
      const frames = await raw.framesUntilClosed(1000);
      expect(names(frames)).toEqual(['0:connection.close-ok']);
      expect(raw.open).toBe(true);

      raw.end();
      await closedWithin(raw, 5000);
      expect(raw.pending).toHaveLength(0);
    });

    it('a client that never closes its socket after close-ok is cut off after the closing timeout (the 2 s heartbeat)', async () => {
      const raw = await clients.raw({ heartbeat: 2 });
      const stop = keepBeating(raw);
      try {
        raw.send(0, 'connection.close', { replyCode: 200, replyText: 'bye' });
        await raw.expectMethod(0, 'connection.close-ok');
        await sleep(1200);
        expect(raw.open).toBe(true);
        const waited = 1200 + await closedWithin(raw, 10000);
        expect(waited).toBeGreaterThanOrEqual(1800);
        expect(raw.pending).toHaveLength(0);
      } finally {
        stop();
      }
    });

    it('channel.close: close-ok is the last frame on the channel, and the connection carries on', async () => {
      const raw = await clients.raw();
      const queue = unique('q.channel-closing');
      raw.send(1, 'confirm.select', {});
      await raw.expectMethod(1, 'confirm.select-ok');
      raw.send(1, 'queue.declare', { queue, durable: true });
      await raw.expectMethod(1, 'queue.declare-ok');
      raw.publish(1, { exchange: '', routingKey: queue }, Buffer.from('persistent'), { deliveryMode: 2 });
      raw.send(1, 'channel.close', { replyCode: 200, replyText: 'done' });
      raw.send(2, 'channel.open', {});
      await raw.expectMethod(1, 'channel.close-ok');
      await raw.expectMethod(2, 'channel.open-ok');
      // Time for the commit and its confirm to have gone out, had the channel still been open.
      await sleep(300);
      await raw.sync(2);
      expect(names(raw.pending)).toEqual([]);
      raw.send(1, 'channel.open', {});
      await raw.expectMethod(1, 'channel.open-ok');
      raw.send(1, 'queue.declare', { queue, passive: true });
      expect(await raw.expectMethod(1, 'queue.declare-ok')).toMatchObject({ messageCount: 1 });
    });
  });

  describe('Warren begins', () => {
    it('a connection error: connection.close, later frames discarded, the socket kept open until close-ok, then closed by Warren', async () => {
      const raw = await clients.raw();
      raw.publish(1, { exchange: '', routingKey: 'x', immediate: true }, Buffer.from('now'));
      expect(await raw.expectMethod(0, 'connection.close')).toMatchObject({ replyCode: 540, classId: 60, methodId: 40 });
      raw.send(1, 'basic.qos', { prefetchCount: 1 });
      raw.send(2, 'channel.open', {});
      raw.publish(1, { exchange: '', routingKey: 'x' }, Buffer.from('ignored'));
      raw.sendHeartbeat();
      // Longer than the second Warren used to wait before closing on its own.
      await sleep(1500);
      expect(raw.open).toBe(true);
      expect(raw.pending).toHaveLength(0);

      raw.send(0, 'connection.close-ok', {});
      await closedWithin(raw, 5000);
      expect(raw.brokerEndedAt).toBeDefined();
      expect(raw.pending).toHaveLength(0);
    });

    it('a client that never answers close-ok is cut off after the closing timeout (the 2 s heartbeat)', async () => {
      const raw = await clients.raw({ heartbeat: 2 });
      const stop = keepBeating(raw);
      try {
        raw.send(5, 'basic.qos', { prefetchCount: 1 });
        expect(await raw.expectMethod(0, 'connection.close')).toMatchObject({ replyCode: 504 });
        await sleep(1500);
        expect(raw.open).toBe(true);
        const waited = 1500 + await closedWithin(raw, 10000);
        expect(waited).toBeGreaterThanOrEqual(1800);
        expect(raw.pending).toHaveLength(0);
      } finally {
        stop();
      }
    });

    it("both sides close at once: Warren answers the client's close with close-ok, then waits for close-ok to its own", async () => {
      const raw = await clients.raw();
      // The client's close crosses Warren's: it is written before Warren's close can have arrived.
      raw.send(7, 'basic.qos', { prefetchCount: 1 });
      raw.send(0, 'connection.close', { replyCode: 200, replyText: 'bye' });
      await raw.expectMethod(0, 'connection.close');
      await raw.expectMethod(0, 'connection.close-ok');
      await sleep(500);
      expect(raw.open).toBe(true);
      raw.send(0, 'connection.close-ok', {});
      await closedWithin(raw, 5000);
      expect(raw.brokerEndedAt).toBeDefined();
      expect(raw.pending).toHaveLength(0);
    });

    it('a channel error: channel.close, frames on that channel discarded until close-ok, then the channel reopens', async () => {
      const raw = await clients.raw();
      raw.send(2, 'channel.open', {});
      await raw.expectMethod(2, 'channel.open-ok');
      raw.send(1, 'basic.get', { queue: unique('missing') });
      expect(await raw.expectMethod(1, 'channel.close')).toMatchObject({ replyCode: 404, classId: 60, methodId: 70 });
      // Methods and content on the closing channel get no answer and raise no error.
      raw.send(1, 'basic.qos', { prefetchCount: 1 });
      raw.publish(1, { exchange: 'no-such-exchange', routingKey: 'x' }, Buffer.from('discarded'));
      raw.send(1, 'queue.declare', { queue: unique('q.discarded') });
      raw.send(1, 'basic.get', { queue: unique('missing') });
      await raw.sync(2);
      expect(raw.pending).toHaveLength(0);

      raw.send(1, 'channel.close-ok', {});
      raw.send(1, 'channel.open', {});
      await raw.expectMethod(1, 'channel.open-ok');
      await raw.sync(1);
    });

    it("a channel error crossed by the client's own channel.close: close-ok to it, and the channel is free after the client's close-ok", async () => {
      const raw = await clients.raw();
      raw.send(1, 'basic.get', { queue: unique('missing') });
      raw.send(1, 'channel.close', { replyCode: 200, replyText: 'done' });
      expect(await raw.expectMethod(1, 'channel.close')).toMatchObject({ replyCode: 404 });
      await raw.expectMethod(1, 'channel.close-ok');
      raw.send(1, 'basic.qos', { prefetchCount: 1 });
      await sleep(200);
      expect(raw.pending).toHaveLength(0);
      raw.send(1, 'channel.close-ok', {});
      raw.send(1, 'channel.open', {});
      await raw.expectMethod(1, 'channel.open-ok');
    });

    it('a refused login: connection.close, then Warren waits for close-ok before closing the socket', async () => {
      const raw = await RawClient.dial(warren.amqpPort);
      try {
        raw.socket.write(PROTOCOL_HEADER);
        await raw.expectMethod(0, 'connection.start');
        raw.send(0, 'connection.start-ok', {
          clientProperties: fromPlain({ capabilities: { authentication_failure_close: true } }),
          mechanism: 'PLAIN', response: Buffer.from('\0guest\0wrong'), locale: 'en_US',
        });
        expect(await raw.expectMethod(0, 'connection.close')).toMatchObject({ replyCode: 403 });
        await sleep(1000);
        expect(raw.open).toBe(true);
        raw.send(0, 'connection.close-ok', {});
        await closedWithin(raw, 5000);
        expect(raw.brokerEndedAt).toBeDefined();
      } finally {
        raw.socket.destroy();
      }
    });

    it('after a frame error close-ok cannot be read: Warren waits for the client to close, at most 3 s', async () => {
      const raw = await clients.raw();
      raw.socket.write(Buffer.from([0x77, 0, 0, 0, 0, 0, 0, 0xce]));
      expect(await raw.expectMethod(0, 'connection.close')).toMatchObject({ replyCode: 501 });
      await sleep(1500);
      expect(raw.open).toBe(true);
      const waited = 1500 + await closedWithin(raw, 10000);
      expect(waited).toBeGreaterThanOrEqual(2800);
    });
  });
});
