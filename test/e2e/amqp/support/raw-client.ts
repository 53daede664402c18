/**
 * A minimal AMQP client over a real socket, built on Warren's codec, for the
 * few things no client library sends: nowait flags, `immediate`, out-of-order
 * frames, closing handshakes. It does the handshake (PLAIN guest/guest) and then
 * lets a test send methods, wait for the next frame the broker sends, and see
 * when the broker ends the socket.
 */
import { connect, Socket } from 'net';
import {
  decodeMethod, encodeBodyFrames, encodeContentHeaderFrame, encodeMethodFrame, fromPlain, FRAME_METHOD, FRAME_HEARTBEAT,
  BasicProperties, HEARTBEAT_FRAME, Method, MethodArgs, MethodName, METHODS, parseFrame, PROTOCOL_HEADER,
} from '../../../../src/amqp/codec';

export interface ReceivedFrame {
  type: number;
  channel: number;
  payload: Buffer;
  method?: Method;
}

const FRAME_MAX = 131072;

export interface HandshakeOptions {
  /** Open channel 1 once connected (default true). */
  openChannel?: boolean;
  /** Heartbeat to ask for in tune-ok; the client never sends one. */
  heartbeat?: number;
  /** channel_max for tune-ok; 0 takes the broker's. */
  channelMax?: number;
  frameMax?: number;
  vhost?: string;
  /** PLAIN credentials (default guest/guest) and the address to connect to (default 127.0.0.1). */
  username?: string;
  password?: string;
  host?: string;
}

export class RawClient {
  private buffer = Buffer.alloc(0);
  private readonly frames: ReceivedFrame[] = [];
  private wake?: () => void;
  private ended = false;
  /** When the broker ended its side of the socket (its FIN arrived), if it has. */
  brokerEndedAt?: number;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.once('end', () => (this.brokerEndedAt = Date.now()));
    this.closed = new Promise((done) => socket.once('close', () => {
      this.ended = true;
      this.wake?.();
      done();
    }));
  }

  /** True while neither side has closed the socket. */
  get open(): boolean {
    return !this.ended && this.brokerEndedAt === undefined;
  }

  /**
   * Connects and completes the handshake, asking for `heartbeat` seconds (but never
   * sending one) and `channelMax` (0: the broker's); opens channel 1 when `openChannel`.
   */
  static async connect(port: number, options: HandshakeOptions = {}): Promise<RawClient> {
    const client = await RawClient.dial(port, options.host);
    try {
      await client.handshake(options);
      return client;
    } catch (error) {
      client.socket.destroy();
      throw error;
    }
  }

  /** A connected socket and nothing sent yet: for tests that drive the handshake themselves. */
  static async dial(port: number, host = '127.0.0.1'): Promise<RawClient> {
    const socket = connect(port, host);
    await new Promise<void>((done, fail) => socket.once('connect', done).once('error', fail));
    return new RawClient(socket);
  }

  async handshake({
    openChannel = true, heartbeat = 0, channelMax = 0, frameMax = FRAME_MAX, vhost = '/', username = 'guest', password = 'guest',
  }: HandshakeOptions): Promise<void> {
    this.socket.write(PROTOCOL_HEADER);
    await this.expectMethod(0, 'connection.start');
    this.send(0, 'connection.start-ok', {
      clientProperties: fromPlain({ product: 'raw-test-client', capabilities: { consumer_cancel_notify: true } }),
      mechanism: 'PLAIN', response: Buffer.from(`\0${username}\0${password}`), locale: 'en_US',
    });
    const tune = await this.expectMethod(0, 'connection.tune');
    this.send(0, 'connection.tune-ok', { channelMax: channelMax || tune.channelMax, frameMax, heartbeat });
    this.send(0, 'connection.open', { virtualHost: vhost });
    await this.expectMethod(0, 'connection.open-ok');
    if (openChannel) {
      this.send(1, 'channel.open', {});
      await this.expectMethod(1, 'channel.open-ok');
    }
  }

  send<K extends MethodName>(channel: number, name: K, args: Partial<MethodArgs[K]>): void {
    this.socket.write(encodeMethodFrame(channel, name, withDefaults(name, args)));
  }

  publish(channel: number, args: Partial<MethodArgs['basic.publish']>, body: Buffer, properties: BasicProperties = {}): void {
    this.send(channel, 'basic.publish', args);
    this.socket.write(encodeContentHeaderFrame(channel, body.length, properties));
    if (body.length > 0) this.socket.write(encodeBodyFrames(channel, body, FRAME_MAX));
  }

  /** The next frame from the broker (heartbeats skipped); undefined when the socket closed first. */
  async nextFrame(timeoutMs = 20000): Promise<ReceivedFrame | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.ended) return undefined;
      if (Date.now() > deadline) throw new Error('timed out waiting for a frame from the broker');
      await new Promise<void>((done) => {
        this.wake = done;
        setTimeout(done, 50);
      });
    }
    return this.frames.shift();
  }

  /** Waits for the next method frame and checks it is `name` on `channel`. */
  async expectMethod<K extends MethodName>(channel: number, name: K): Promise<MethodArgs[K]> {
    const frame = await this.nextFrame();
    if (!frame) throw new Error(`socket closed while waiting for ${name}`);
    if (!frame.method) throw new Error(`expected ${name}, got a frame of type ${frame.type}`);
    if (frame.method.name !== name || frame.channel !== channel) {
      throw new Error(`expected ${name} on channel ${channel}, got ${frame.method.name} on channel ${frame.channel}: ${JSON.stringify(frame.method.args)}`);
    }
    return frame.method.args as MethodArgs[K];
  }

  /** Round trip on channel 1 to prove everything sent before has been handled. */
  async sync(channel = 1): Promise<void> {
    this.send(channel, 'basic.qos', { prefetchSize: 0, prefetchCount: 0, global: false });
    await this.expectMethod(channel, 'basic.qos-ok');
  }

  get pending(): readonly ReceivedFrame[] {
    return this.frames;
  }

  /** Every frame received until the broker closes the socket, or until `timeoutMs` passes with the socket still open. */
  async framesUntilClosed(timeoutMs = 20000): Promise<ReceivedFrame[]> {
    await this.closedOrAfter(timeoutMs);
    return this.frames.splice(0);
  }

  /** Resolves when the socket closes or `timeoutMs` has passed, whichever comes first. */
  async closedOrAfter(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise((done) => (timer = setTimeout(done, timeoutMs)))]);
    clearTimeout(timer);
  }

  sendHeartbeat(): void {
    this.socket.write(HEARTBEAT_FRAME);
  }

  /** Ends our side of the socket (FIN), as a client does once the closing handshake is done. */
  end(): void {
    this.socket.end();
  }

  async destroy(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    for (;;) {
      const frame = parseFrame(this.buffer, offset, 1 << 30);
      if (!frame) break;
      offset = frame.end;
      if (frame.type === FRAME_HEARTBEAT) continue;
      const payload = Buffer.from(frame.payload);
      this.frames.push({ type: frame.type, channel: frame.channel, payload, method: frame.type === FRAME_METHOD ? decodeMethod(payload) : undefined });
    }
    this.buffer = this.buffer.subarray(offset);
    this.wake?.();
  }
}

/** Fills the fields a test does not care about with the zero value of their type. */
function withDefaults<K extends MethodName>(name: K, args: Partial<MethodArgs[K]>): MethodArgs[K] {
  const defaults: Record<string, unknown> = {};
  for (const field of METHODS[name].fields) {
    if (field.reserved) continue;
    defaults[field.name] = zeroOf(field.type);
  }
  return { ...defaults, ...args } as MethodArgs[K];
}

function zeroOf(type: string): unknown {
  switch (type) {
    case 'bit': return false;
    case 'shortstr': return '';
    case 'longstr': return Buffer.alloc(0);
    case 'table': return fromPlain({});
    default: return 0;
  }
}
