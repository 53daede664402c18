/**
 * A minimal AMQP 0-9-1 client over a plain socket, built on amqplib's generated
 * codec (amqplib/lib/defs), for what amqplib will not send: nowait flags,
 * `immediate`, odd tune values, oversized frames. Independent of Warren's code,
 * so it can judge Warren and RabbitMQ alike.
 */
'use strict';

const net = require('net');
const path = require('path');

/** amqplib's internals; its package.json does not export them, so load them by path. */
const amqplibInternal = (name) => require(path.join(path.dirname(require.resolve('amqplib')), 'lib', name));
const defs = amqplibInternal('defs');
const { parseFrame, decodeFrame, makeBodyFrame } = amqplibInternal('frame');

const PROTOCOL_HEADER = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');
const FRAME_TYPES = { 1: 'method', 2: 'header', 3: 'body', 8: 'heartbeat' };

/** 'basic.qos' -> 'BasicQos', the name amqplib's defs use. */
function defsName(name) {
  return name.split(/[.-]/).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}

/** 'BasicQosOk' -> 'basic.qos-ok'. */
function wireName(defsMethodName) {
  const [, klass, rest] = /^(Connection|Channel|Exchange|Queue|Basic|Confirm|Tx|Access)(.*)$/.exec(defsMethodName);
  const method = rest.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  return `${klass.toLowerCase()}.${method}`;
}

function methodId(name) {
  const id = defs[defsName(name)];
  if (typeof id !== 'number') throw new Error(`unknown method ${name}`);
  return id;
}

class RawClient {
  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.frames = [];
    this.waiters = [];
    this.ended = false;
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((done) => socket.once('close', () => {
      this.ended = true;
      this.wakeAll();
      done();
    }));
  }

  static async socket(url) {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port) || 5672, hostname);
    await new Promise((done, fail) => socket.once('connect', done).once('error', fail));
    return new RawClient(socket);
  }

  /**
   * Connects and runs the handshake. Options: frameMax, channelMax, heartbeat,
   * vhost, openChannel (channel 1). Throws with the broker's close if it refuses.
   */
  static async open(url, options = {}) {
    const client = await RawClient.socket(url);
    try {
      await client.handshake(url, options);
      return client;
    } catch (error) {
      client.socket.destroy();
      throw error;
    }
  }

  async handshake(url, { frameMax = 131072, channelMax = 0, heartbeat = 0, vhost, openChannel = true } = {}) {
    const parsed = new URL(url);
    const user = decodeURIComponent(parsed.username || 'guest');
    const password = decodeURIComponent(parsed.password || 'guest');
    this.socket.write(PROTOCOL_HEADER);
    await this.expect(0, 'connection.start');
    this.send(0, 'connection.start-ok', {
      clientProperties: { product: 'xcheck-raw', capabilities: { consumer_cancel_notify: true } },
      mechanism: 'PLAIN', response: Buffer.from(`\0${user}\0${password}`), locale: 'en_US',
    });
    const tune = await this.expect(0, 'connection.tune');
    this.tune = tune;
    this.send(0, 'connection.tune-ok', { channelMax: channelMax || tune.channelMax, frameMax, heartbeat });
    const path = decodeURIComponent(parsed.pathname.slice(1));
    this.send(0, 'connection.open', { virtualHost: vhost ?? (path || '/'), capabilities: '', insist: false });
    await this.expect(0, 'connection.open-ok');
    if (openChannel) {
      this.send(1, 'channel.open', { outOfBand: '' });
      await this.expect(1, 'channel.open-ok');
    }
  }

  send(channel, name, fields = {}) {
    this.socket.write(defs.encodeMethod(methodId(name), channel, fields));
  }

  /** basic.publish with its header and body frames, cut at `frameMax` (total frame size). */
  publish(channel, fields, body, properties = {}, frameMax = 131072) {
    this.send(channel, 'basic.publish', { exchange: '', routingKey: '', mandatory: false, immediate: false, ...fields });
    this.header(channel, body.length, properties);
    const chunk = frameMax - 8;
    for (let offset = 0; offset < body.length; offset += chunk) this.body(channel, body.subarray(offset, offset + chunk));
  }

  header(channel, size, properties = {}) {
    this.socket.write(defs.encodeProperties(defs.BasicProperties, channel, size, properties));
  }

  body(channel, payload) {
    this.socket.write(makeBodyFrame(channel, payload));
  }

  /** The next frame, decoded: { kind, channel, name?, fields?, content? }; undefined once the socket closed. */
  async next(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise((done) => {
        const timer = setTimeout(done, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(timer);
          done();
        });
      });
    }
    return this.frames.shift();
  }

  /** The next method, checked to be `name` on `channel`; throws (with what came instead) otherwise. */
  async expect(channel, name, timeoutMs) {
    const frame = await this.next(timeoutMs);
    if (!frame || frame.kind !== 'method' || frame.name !== name || frame.channel !== channel) {
      const error = new Error(`expected ${name} on ${channel}, got ${describe(frame)}`);
      error.frame = frame;
      throw error;
    }
    return frame.fields;
  }

  /** Waits for the next method frame, skipping content frames; undefined when the socket closed. */
  async nextMethod(timeoutMs) {
    for (;;) {
      const frame = await this.next(timeoutMs);
      if (!frame || frame.kind === 'timeout' || frame.kind === 'method') return frame;
    }
  }

  destroy() {
    this.socket.destroy();
    return this.closed;
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.expectHeaderReply && this.buffer.length > 0 && this.buffer[0] === 0x41) {
        this.frames.push({ kind: 'protocol-header', bytes: [...this.buffer.subarray(0, 8)] });
        this.buffer = this.buffer.subarray(8);
        continue;
      }
      const frame = parseFrame(this.buffer, 0);
      if (!frame) break;
      this.buffer = frame.rest;
      const kind = FRAME_TYPES[frame.type];
      if (kind === 'heartbeat') continue;
      const decoded = decodeFrame(frame);
      if (kind === 'method') {
        this.frames.push({ kind, channel: frame.channel, name: wireName(defs.info(decoded.id).name), fields: decoded.fields });
      } else if (kind === 'header') {
        this.frames.push({ kind, channel: frame.channel, size: Number(decoded.size), properties: decoded.fields });
      } else {
        this.frames.push({ kind, channel: frame.channel, content: Buffer.from(decoded.content) });
      }
    }
    this.wakeAll();
  }

  wakeAll() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

function describe(frame) {
  if (!frame) return 'socket closed';
  if (frame.kind === 'method') return `${frame.name} on ${frame.channel} ${JSON.stringify(frame.fields)}`;
  return frame.kind;
}

module.exports = { RawClient, PROTOCOL_HEADER, defs };
