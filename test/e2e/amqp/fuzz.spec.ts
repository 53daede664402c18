/**
 * Random bytes at real connections: each bad connection is closed with a hard
 * error (501 for bytes that do not form frames), while the process and an
 * ordinary client on another connection carry on undisturbed.
 */
import * as fc from 'fast-check';
import * as amqp from 'amqplib';
import { connect, Socket } from 'net';
import { decodeMethod, encodeMethodFrame, FRAME_METHOD, fromPlain, parseFrame, PROTOCOL_HEADER } from '../../../src/amqp/codec';
import { useWarren } from '../../support/warren-app';

jest.setTimeout(120000);

interface Outcome {
  closeCode?: number;
  socketClosed: boolean;
}

/** Sends `bytes` after the protocol header (and optionally a valid start-ok) and reports how the server answered. */
function attack(port: number, bytes: Buffer, handshake: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let sent = false;
    const outcome: Outcome = { socketClosed: false };
    const timer = setTimeout(() => socket.destroy(), 1500);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      let offset = 0;
      for (let frame = parseFrame(received, offset, 1 << 20); frame; frame = parseFrame(received, offset, 1 << 20)) {
        offset = frame.end;
        if (frame.type !== FRAME_METHOD) continue;
        const method = decodeMethod(frame.payload);
        if (method.name === 'connection.start' && !sent) {
          sent = true;
          if (handshake) socket.write(startOk());
          socket.write(bytes);
        }
        if (method.name === 'connection.close') {
          outcome.closeCode = method.args.replyCode;
          // As a client does: close-ok, then close the socket (Warren waits for one or the other).
          socket.end(encodeMethodFrame(0, 'connection.close-ok', {}));
        }
      }
      received = received.subarray(offset);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      outcome.socketClosed = true;
      resolve(outcome);
    });
    socket.write(PROTOCOL_HEADER);
  });
}

function startOk(): Buffer {
  return encodeMethodFrame(0, 'connection.start-ok', {
    clientProperties: fromPlain({ product: 'fuzz' }), mechanism: 'PLAIN', response: Buffer.from('\0guest\0guest'), locale: 'en_US',
  });
}

describe('fuzzing connections with random bytes', () => {
  const warren = useWarren();
  let bystander: amqp.ChannelModel;
  let channel: amqp.Channel;

  beforeAll(async () => {
    bystander = await amqp.connect(warren.amqpUrl);
    // The broker may shut down before this file's afterAll closes us; that is not a failure.
    bystander.on('error', () => undefined);
    channel = await bystander.createChannel();
    await channel.assertQueue('fuzz.bystander');
  });
  afterAll(() => bystander.close().catch(() => undefined));

  async function bystanderStillWorks(n: number): Promise<void> {
    channel.sendToQueue('fuzz.bystander', Buffer.from(`still here ${n}`));
    const message = await new Promise<amqp.GetMessage | false>((resolve) => setTimeout(() => resolve(channel.get('fuzz.bystander', { noAck: true })), 20));
    expect(message && message.content.toString()).toBe(`still here ${n}`);
  }

  it('closes a connection that sends garbage instead of frames with 501 FRAME_ERROR', async () => {
    // A first octet that is no frame type makes the bytes unparseable whatever follows.
    const garbage = fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => {
      const buffer = Buffer.from(bytes);
      if ([1, 2, 3, 8].includes(buffer[0])) buffer[0] = 0x77;
      return buffer;
    });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(garbage, fc.boolean(), async (bytes, handshake) => {
        const outcome = await attack(warren.amqpPort, bytes, handshake);
        expect(outcome.closeCode).toBe(501);
        expect(outcome.socketClosed).toBe(true);
        await bystanderStillWorks(round++);
      }),
      { numRuns: 40 },
    );
  });

  it('closes a connection that sends well-framed random payloads with a hard error, and nothing else is disturbed', async () => {
    const frame = fc.record({
      type: fc.constantFrom(1, 2, 3, 8),
      channel: fc.integer({ min: 0, max: 3 }),
      payload: fc.uint8Array({ maxLength: 200 }),
    }).map(({ type, channel, payload }) => {
      const buffer = Buffer.alloc(8 + payload.length);
      buffer[0] = type;
      buffer.writeUInt16BE(channel, 1);
      buffer.writeUInt32BE(payload.length, 3);
      Buffer.from(payload).copy(buffer, 7);
      buffer[7 + payload.length] = 206;
      return buffer;
    });
    const codes: number[] = [];
    let round = 1000;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), fc.boolean(), async (frames, handshake) => {
        const outcome = await attack(warren.amqpPort, Buffer.concat(frames), handshake);
        expect(outcome.socketClosed).toBe(true);
        if (outcome.closeCode !== undefined) {
          expect([501, 502, 503, 504, 505, 530]).toContain(outcome.closeCode);
          codes.push(outcome.closeCode);
        }
        await bystanderStillWorks(round++);
      }),
      { numRuns: 60 },
    );
    // Random payloads are mostly malformed methods and frames: those must be the frame and syntax errors.
    expect(codes.filter((code) => code === 501 || code === 502).length).toBeGreaterThan(0);
  });

  it('answers a wrong protocol header with the 0-9-1 header and closes', async () => {
    const answer = await new Promise<Buffer>((resolve) => {
      const socket = connect(warren.amqpPort, '127.0.0.1');
      let data = Buffer.alloc(0);
      socket.on('data', (chunk) => (data = Buffer.concat([data, chunk])));
      socket.on('close', () => resolve(data));
      socket.write(Buffer.from('AMQP\x00\x00\x09\x00'));
    });
    expect(answer).toEqual(PROTOCOL_HEADER);
    const http = await new Promise<Buffer>((resolve) => {
      const socket = connect(warren.amqpPort, '127.0.0.1');
      let data = Buffer.alloc(0);
      socket.on('data', (chunk) => (data = Buffer.concat([data, chunk])));
      socket.on('close', () => resolve(data));
      socket.write('GET / HTTP/1.1\r\n\r\n');
    });
    expect(http).toEqual(PROTOCOL_HEADER);
  });
});
