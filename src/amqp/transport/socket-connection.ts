/**
 * Binds one TCP socket to one protocol connection: checks the protocol header,
 * feeds frames in order, batches writes per tick (cork/uncork), reports
 * backpressure, runs heartbeats (send when idle, drop a peer silent for two
 * intervals), and bounds the closing handshake: a socket whose peer does not
 * finish closing is destroyed when the closing timeout runs out, so none is left
 * half-closed. The only AMQP code that touches the socket.
 */
import type { Socket } from 'net';
import { TrafficCounters } from '../../broker/stats/counters';
import { normalisePeerAddress } from '../../broker/auth/login';
import { HEARTBEAT_FRAME, PROTOCOL_HEADER } from '../codec';
import { HANDSHAKE_TIMEOUT_MS, LOST_SYNC_CLOSE_MS } from '../protocol/closing-timeout';
import { AmqpConnection, ConnectionDeps } from '../protocol/connection';
import type { Endpoint, Outbound, PauseReason } from '../protocol/outbound';
import { FrameReader } from './frame-reader';

export class SocketConnection implements Outbound {
  readonly connection: AmqpConnection;
  private readonly reader = new FrameReader();
  private header?: Buffer = Buffer.alloc(0);
  private corked = false;
  private lastRead = Date.now();
  private wroteSinceTick = false;
  private heartbeatTimer?: NodeJS.Timeout;
  private readonly handshakeTimer: NodeJS.Timeout;
  /** Set once closing began: the socket is destroyed when it fires. Unref'd, so it never keeps the process alive. */
  private closingDeadline?: NodeJS.Timeout;
  private broken = false;
  private readonly pausedFor = new Set<PauseReason>();
  readonly traffic = new TrafficCounters();
  readonly endpoint: Endpoint;

  constructor(private readonly socket: Socket, id: string, deps: ConnectionDeps, onClose: (connection: SocketConnection) => void) {
    this.endpoint = endpointOf(socket);
    this.connection = new AmqpConnection(id, this, deps, { address: normalisePeerAddress(socket.remoteAddress), port: socket.remotePort ?? 0 });
    this.connection.onTuned = (seconds) => this.startHeartbeats(seconds);
    this.handshakeTimer = setTimeout(() => this.socket.destroy(), HANDSHAKE_TIMEOUT_MS);
    this.handshakeTimer.unref();
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.connection.drained());
    socket.once('close', () => {
      clearTimeout(this.handshakeTimer);
      clearInterval(this.heartbeatTimer);
      clearTimeout(this.closingDeadline);
      this.connection.socketClosed();
      onClose(this);
    });
  }

  get writable(): boolean {
    return !this.socket.writableNeedDrain && !this.socket.destroyed;
  }

  write(bytes: Buffer): void {
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.traffic.sendOct += bytes.length;
    if (!this.corked) {
      // One send per tick: what RabbitMQ counts as send_cnt.
      this.traffic.sendCnt++;
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.wroteSinceTick = true;
    this.socket.write(bytes);
  }

  pauseReading(reason: PauseReason): void {
    this.pausedFor.add(reason);
    this.socket.pause();
  }

  resumeReading(reason: PauseReason): void {
    this.pausedFor.delete(reason);
    if (this.pausedFor.size === 0 && !this.broken) this.socket.resume();
  }

  closing(timeoutMs: number): void {
    clearTimeout(this.handshakeTimer);
    clearInterval(this.heartbeatTimer);
    // Close-ok, or the peer's FIN, can only be seen while reading.
    this.pausedFor.clear();
    if (!this.socket.destroyed) this.socket.resume();
    if (this.closingDeadline) return;
    this.closingDeadline = setTimeout(() => this.socket.destroy(), timeoutMs);
    this.closingDeadline.unref();
  }

  /**
   * Our FIN after what was written. The socket closes when the peer's FIN comes
   * back, or at the deadline set when closing began (3 s if none was).
   */
  end(): void {
    this.closing(LOST_SYNC_CLOSE_MS);
    if (!this.socket.destroyed && !this.socket.writableEnded) this.socket.end();
  }

  private onData(chunk: Buffer): void {
    this.lastRead = Date.now();
    this.traffic.recvOct += chunk.length;
    this.traffic.recvCnt++;
    if (this.broken) return;
    if (this.header) {
      chunk = this.readHeader(chunk)!;
      if (!chunk) return;
    }
    try {
      this.reader.push(chunk, () => this.connection.frameMax, (frame) => this.connection.receive(frame));
    } catch (error) {
      this.broken = true;
      this.connection.malformedInput(error);
      return;
    }
    this.connection.endOfBatch();
  }

  /** Returns the bytes after a good protocol header, or undefined while waiting or after a mismatch. */
  private readHeader(chunk: Buffer): Buffer | undefined {
    const seen = Buffer.concat([this.header!, chunk]);
    if (seen.length < PROTOCOL_HEADER.length) {
      if (!PROTOCOL_HEADER.subarray(0, seen.length).equals(seen)) return this.refuseHeader();
      this.header = seen;
      return undefined;
    }
    if (!seen.subarray(0, PROTOCOL_HEADER.length).equals(PROTOCOL_HEADER)) return this.refuseHeader();
    this.header = undefined;
    this.connection.begin();
    return seen.subarray(PROTOCOL_HEADER.length);
  }

  /** The spec's answer to a header we do not speak: ours, then close. */
  private refuseHeader(): undefined {
    this.broken = true;
    this.socket.end(PROTOCOL_HEADER);
    this.closing(LOST_SYNC_CLOSE_MS);
    return undefined;
  }

  private startHeartbeats(seconds: number): void {
    clearTimeout(this.handshakeTimer);
    if (seconds <= 0) return;
    const intervalMs = seconds * 1000;
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastRead > 2 * intervalMs) {
        this.socket.destroy();
        return;
      }
      if (!this.wroteSinceTick) this.write(HEARTBEAT_FRAME);
      this.wroteSinceTick = false;
    }, intervalMs / 2);
    this.heartbeatTimer.unref();
  }
}

/** Addresses as RabbitMQ shows them: IPv4-mapped IPv6 addresses (a dual-stack listener's) as plain IPv4. */
function endpointOf(socket: Socket): Endpoint {
  return {
    peerHost: plainAddress(socket.remoteAddress),
    peerPort: socket.remotePort ?? 0,
    host: plainAddress(socket.localAddress),
    port: socket.localPort ?? 0,
    connectedAt: Date.now(),
    tls: false,
  };
}

function plainAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}
