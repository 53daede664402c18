/**
 * One AMQP connection after the protocol header: the handshake (start, tune,
 * open), then dispatch of every frame to its channel, strictly in arrival order.
 * A frame whose handling is asynchronous (a durable declare) holds back the
 * frames behind it until it is done. Errors close the channel or the connection,
 * and both close as the spec and RabbitMQ's reader do: whoever sent close closes
 * the socket once close-ok arrives, nothing follows close-ok, and frames reaching
 * a closing connection or channel are discarded.
 */
import type { ClientChannel, ConnectionState } from '../../broker/clients/live-clients';
import {
  decodeMethod, encodeMethodFrame, Frame, FRAME_BODY, FRAME_HEADER, FRAME_HEARTBEAT, FRAME_METHOD, FRAME_MIN_SIZE, FRAME_OVERHEAD,
  Method, MethodArgs, MethodName, METHODS, toPlain,
} from '../codec';
import { logIn } from './authentication';
import { AmqpChannel } from './channel';
import type { ChannelContext } from './channel-context';
import { closingTimeoutMs, LOST_SYNC_CLOSE_MS } from './closing-timeout';
import type { ConnectionDeps, Peer } from './connection-deps';
import { ConnectionFacts, ConnectionView } from './connection-view';
import type { Outbound } from './outbound';
import { PublisherBlock } from './publisher-block';
import { describeTags } from './tag-runs';
import { CloseReason, closeReasonFor, protocolError } from './protocol-error';
import { LOCALES, MECHANISMS, serverProperties } from './server-properties';

export type { ConnectionDeps, ConnectionLimits, Peer } from './connection-deps';

/** Handshake (awaiting start-ok, tune-ok, open), opened, then closing: we sent close, we sent close-ok, socket gone. */
type State = 'start-ok' | 'tune-ok' | 'open' | 'opened' | 'awaiting-close-ok' | 'awaiting-socket-close' | 'closed';

/** Frames queued behind an asynchronous one before we stop reading the socket. */
const INBOX_HIGH_WATER = 256;

export class AmqpConnection implements ConnectionFacts {
  private state: State = 'start-ok';
  private readonly channels = new Map<number, AmqpChannel>();
  private readonly inbox: Frame[] = [];
  private busy = false;
  private readonly confirmChannels = new Set<number>();
  private clientCapabilities: Record<string, unknown> = {};
  private vhostName?: string;
  tunedFrameMax = FRAME_MIN_SIZE;
  tunedChannelMax = 0;
  private confirmFlushScheduled = false;
  /** Why the connection ended, for the log line and the registry; set by whoever closes it first. */
  private closeReason?: string;
  user: string | undefined;
  authMechanism = '';
  clientProperties: Record<string, unknown> = {};
  /** Negotiated heartbeat in seconds (0: none), known from tune-ok; the transport runs the timers. */
  heartbeat: number | undefined;
  onTuned?: (heartbeatSeconds: number) => void;
  /** The connection as the broker's ClientRegistry and the admin API see it. */
  readonly client: ConnectionView;

  private readonly publisherBlock = new PublisherBlock({
    isOpen: () => this.state === 'opened',
    pauseReading: () => this.out.pauseReading('memory'),
    resumeReading: () => this.out.resumeReading('memory'),
    tell: (reason) => {
      if (this.clientCapabilities['connection.blocked'] !== true) return;
      if (reason === undefined) this.sendMethod(0, 'connection.unblocked', {});
      else this.sendMethod(0, 'connection.blocked', { reason });
    },
  });

  constructor(readonly id: string, private readonly out: Outbound, private readonly deps: ConnectionDeps, readonly peer: Peer) {
    this.client = new ConnectionView(this, out);
  }

  /** The vhost once connection.open succeeded. */
  get vhost(): string | undefined {
    return this.vhostName;
  }

  /**
   * The largest frame accepted from the peer: the negotiated frame_max plus
   * RabbitMQ's 8-byte "fudge". Several clients (rabbitmq-client among them) put
   * frame_max bytes of payload in a frame, and RabbitMQ accepts that.
   */
  get frameMax(): number {
    return this.tunedFrameMax + FRAME_OVERHEAD;
  }

  /** connection.close went one way or the other, and the socket is still open. */
  get isClosing(): boolean {
    return this.state === 'awaiting-close-ok' || this.state === 'awaiting-socket-close';
  }

  /** RabbitMQ's names: blocking = publishing would be held (an alarm) but this connection has not published. */
  get clientState(): ConnectionState {
    if (this.state === 'closed') return 'closed';
    if (this.isClosing) return 'closing';
    if (this.publisherBlock.isBlocked) return 'blocked';
    return this.publisherBlock.isHeldBack ? 'blocking' : 'running';
  }

  *openChannels(): Iterable<ClientChannel> {
    for (const channel of this.channels.values()) if (!channel.isClosing) yield channel;
  }

  /** Sends connection.start; called once the client's protocol header checked out. */
  begin(): void {
    this.sendMethod(0, 'connection.start', {
      versionMajor: 0, versionMinor: 9, serverProperties: serverProperties(), mechanisms: Buffer.from(MECHANISMS), locales: Buffer.from(LOCALES),
    });
  }

  /** Every frame from the transport, in order. */
  receive(frame: Frame): void {
    if (this.state === 'closed') return;
    if (this.busy) {
      this.inbox.push(frame);
      if (this.inbox.length === INBOX_HIGH_WATER) this.out.pauseReading('inbox');
      return;
    }
    this.process(frame);
  }

  /** The transport finished a batch of frames (one socket read): send gathered confirms. */
  endOfBatch(): void {
    if (this.confirmChannels.size === 0) return;
    for (const id of this.confirmChannels) this.channels.get(id)?.flushConfirms();
    this.confirmChannels.clear();
  }

  /**
   * Confirms settled while reading frames go out at the end of that read; those
   * settled later (a commit to the message store) go out on the next turn of the loop.
   */
  private confirmsPending(channel: number): void {
    this.confirmChannels.add(channel);
    if (this.confirmFlushScheduled) return;
    this.confirmFlushScheduled = true;
    setImmediate(() => {
      this.confirmFlushScheduled = false;
      this.endOfBatch();
    });
  }

  /** The socket can take more: let consumers continue. */
  drained(): void {
    for (const channel of this.channels.values()) channel.resumeDeliveries();
  }

  /** The socket is gone (closed by the peer, an error, or us). */
  socketClosed(): void {
    if (this.state === 'closed') return;
    this.closeReason ??= 'client unexpectedly closed TCP connection';
    const released = this.isClosing;
    this.state = 'closed';
    if (!released) this.releaseAll();
  }

  /** Publishing is held back for `reason`, or allowed again (undefined): see PublisherBlock. */
  publishingBlocked(reason: string | undefined): void {
    this.publisherBlock.publishingHeldBack(reason);
  }

  /** Bytes that do not form frames (a CodecError from the reader): the connection must close. */
  malformedInput(error: unknown): void {
    this.fail(closeReasonFor(error), LOST_SYNC_CLOSE_MS);
  }

  /** Closes from our side, e.g. at shutdown (320 CONNECTION_FORCED). */
  closeWith(code: number, text: string): void {
    this.fail({ code, text, classId: 0, methodId: 0, closesConnection: true });
  }

  // ---- frame processing ----------------------------------------------------

  private process(frame: Frame): void {
    let pending: void | Promise<void>;
    let method: Method | undefined;
    try {
      if (frame.type === FRAME_METHOD) method = decodeMethod(frame.payload);
      pending = this.dispatch(frame, method);
    } catch (error) {
      return this.handleError(error, frame.channel, method ?? contentOwner(frame));
    }
    if (pending) {
      this.busy = true;
      pending.then(
        () => this.resume(),
        (error) => {
          this.handleError(error, frame.channel, method);
          this.resume();
        },
      );
    }
  }

  private resume(): void {
    this.busy = false;
    while (!this.busy && this.inbox.length > 0 && this.state !== 'closed') {
      const next = this.inbox.shift()!;
      if (this.inbox.length === INBOX_HIGH_WATER / 2) this.out.resumeReading('inbox');
      this.process(next);
    }
    if (!this.busy) {
      this.out.resumeReading('inbox');
      this.endOfBatch();
    }
  }

  private dispatch(frame: Frame, method: Method | undefined): void | Promise<void> {
    if (this.isClosing) return this.whileClosing(frame.channel, method);
    if (frame.type === FRAME_HEARTBEAT) {
      if (frame.channel !== 0) throw protocolError('FRAME_ERROR', 'heartbeat frame on a non-zero channel');
      return;
    }
    if (frame.channel === 0) {
      if (!method) throw protocolError('UNEXPECTED_FRAME', `content frame on channel 0`);
      return this.connectionMethod(method);
    }
    if (this.state !== 'opened') throw protocolError('CHANNEL_ERROR', `frame on channel ${frame.channel} before connection.open`);
    return this.channelFrame(frame, method);
  }

  private channelFrame(frame: Frame, method: Method | undefined): void | Promise<void> {
    const channel = this.channels.get(frame.channel);
    if (method?.name === 'channel.open') return this.openChannel(frame.channel, channel);
    if (!channel) throw protocolError('CHANNEL_ERROR', `expected 'channel.open' on channel ${frame.channel}`);
    if (channel.isClosing) return this.whileChannelCloses(frame.channel, method);
    if (method?.name === 'channel.close') return this.closeChannelByClient(frame.channel, channel);
    const expecting = channel.expectingContent;
    if (method) {
      if (expecting) throw protocolError('UNEXPECTED_FRAME', `expected content ${expecting}, got ${method.name}`);
      return channel.handleMethod(method);
    }
    if (frame.type === FRAME_HEADER && expecting === 'header') return channel.handleHeader(frame.payload);
    if (frame.type === FRAME_BODY && expecting === 'body') return channel.handleBody(frame.payload);
    throw protocolError('UNEXPECTED_FRAME', `unexpected ${frame.type === FRAME_HEADER ? 'content header' : 'content body'} frame on channel ${frame.channel}`);
  }

  private connectionMethod(method: Method): void {
    switch (method.name) {
      case 'connection.start-ok': return this.startOk(method.args);
      case 'connection.tune-ok': return this.tuneOk(method.args);
      case 'connection.open': return this.open(method.args);
      case 'connection.close': return this.closeByClient(method.args);
      case 'connection.update-secret': return this.expect('opened', () => this.sendMethod(0, 'connection.update-secret-ok', {}));
      case 'connection.blocked':
      case 'connection.unblocked': return;
      default: throw protocolError('COMMAND_INVALID', `unexpected method ${method.name} on channel 0`);
    }
  }

  // ---- handshake -----------------------------------------------------------

  private startOk(a: MethodArgs['connection.start-ok']): void {
    this.expect('start-ok', () => {
      this.clientProperties = toPlain(a.clientProperties);
      this.authMechanism = a.mechanism;
      const capabilities = this.clientProperties.capabilities;
      this.clientCapabilities = capabilities && typeof capabilities === 'object' ? (capabilities as Record<string, unknown>) : {};
      this.user = logIn(this.deps.login, a.mechanism, a.response, this.peer, (line) => this.deps.log('warn', line));
      const { frameMax, channelMax, heartbeatSeconds } = this.deps.limits;
      this.state = 'tune-ok';
      this.sendMethod(0, 'connection.tune', { channelMax, frameMax, heartbeat: heartbeatSeconds });
    });
  }

  private tuneOk(a: MethodArgs['connection.tune-ok']): void {
    this.expect('tune-ok', () => {
      const { frameMax, channelMax } = this.deps.limits;
      const wanted = a.frameMax === 0 ? frameMax : a.frameMax;
      if (wanted < FRAME_MIN_SIZE) throw protocolError('NOT_ALLOWED', `frame_max=${a.frameMax} < ${FRAME_MIN_SIZE} min size`);
      if (wanted > frameMax) throw protocolError('NOT_ALLOWED', `frame_max=${a.frameMax} > ${frameMax} max size`);
      this.tunedFrameMax = wanted;
      this.tunedChannelMax = a.channelMax === 0 ? channelMax : Math.min(a.channelMax, channelMax);
      this.heartbeat = a.heartbeat;
      this.state = 'open';
      this.onTuned?.(a.heartbeat);
    });
  }

  private open(a: MethodArgs['connection.open']): void {
    this.expect('open', () => {
      // RabbitMQ's order: the vhost exists, its connection limit, then the user's access to it.
      if (!this.deps.topology.hasVhost(a.virtualHost)) throw protocolError('NOT_ALLOWED', `vhost ${a.virtualHost} not found`);
      this.deps.vhostLimits.assertCanConnect(a.virtualHost, this.user!, this.deps.openConnectionsIn(a.virtualHost));
      this.deps.access.assertVhostAccess(this.user!, a.virtualHost);
      this.vhostName = a.virtualHost;
      this.state = 'opened';
      this.deps.clients.opened(this.client);
      this.sendMethod(0, 'connection.open-ok', {});
    });
  }

  private expect(state: State, then: () => void): void {
    if (this.state !== state) throw protocolError('COMMAND_INVALID', `unexpected method in connection state '${this.state}'`);
    then();
  }

  // ---- channels ------------------------------------------------------------

  private openChannel(id: number, existing: AmqpChannel | undefined): void {
    if (existing) throw protocolError('CHANNEL_ERROR', `second 'channel.open' seen on channel ${id}`);
    // As RabbitMQ does, channel_max limits how many channels are open, whatever their numbers.
    if (this.channels.size >= this.tunedChannelMax) {
      throw protocolError('NOT_ALLOWED', `number of channels opened (${this.channels.size}) has reached the negotiated channel_max (${this.tunedChannelMax})`);
    }
    this.channels.set(id, new AmqpChannel(id, this.channelContext()));
    this.deps.clients.channelOpened();
    this.sendMethod(id, 'channel.open-ok', { channelId: Buffer.alloc(0) });
  }

  private closeChannelByClient(id: number, channel: AmqpChannel): void {
    this.releaseChannel(channel);
    this.channels.delete(id);
    this.sendMethod(id, 'channel.close-ok', {});
  }

  /** After we sent channel.close, only close-ok (or the client's own close) matter. */
  private whileChannelCloses(id: number, method: Method | undefined): void {
    if (method?.name === 'channel.close-ok') this.channels.delete(id);
    else if (method?.name === 'channel.close') this.sendMethod(id, 'channel.close-ok', {});
  }

  private channelContext(): ChannelContext {
    const connection = this;
    return {
      connectionId: this.id,
      connection: this.client,
      user: this.user!,
      vhost: this.vhostName!,
      access: this.deps.access.resources(this.user!, this.vhostName!),
      frameMax: this.tunedFrameMax,
      maxMessageSize: this.deps.limits.maxMessageSize,
      consumerCancelNotify: this.clientCapabilities.consumer_cancel_notify === true,
      topology: this.deps.topology,
      publisher: this.deps.publisher,
      get writable() {
        return connection.out.writable && connection.state === 'opened';
      },
      // Nothing goes out on a channel once the connection is closing, whichever side began.
      send: (bytes) => {
        if (this.state === 'opened') this.out.write(bytes);
      },
      published: () => this.publisherBlock.published(),
      confirmsPending: (channel) => this.confirmsPending(channel),
    };
  }

  // ---- errors and closing --------------------------------------------------

  /** `method` names the method at fault in the close (class and method id), when there is one. */
  private handleError(error: unknown, channelId: number, method: { classId: number; methodId: number } | undefined): void {
    const reason = closeReasonFor(error, method?.classId ?? 0, method?.methodId ?? 0);
    if (reason.unexpected) this.deps.log('error', `connection ${this.id}: ${reason.unexpected.stack ?? reason.unexpected.message}`);
    const channel = this.channels.get(channelId);
    if (!reason.closesConnection && channelId !== 0 && channel) {
      // A channel already closing has said all it will: a late error on it changes nothing.
      if (!channel.isClosing) this.closeChannel(channelId, channel, reason);
      return;
    }
    this.fail(reason);
  }

  /** Warren closes a channel: it keeps its number until the client's close-ok (see whileChannelCloses). */
  private closeChannel(id: number, channel: AmqpChannel, reason: CloseReason): void {
    this.releaseChannel(channel);
    this.sendMethod(id, 'channel.close', { replyCode: reason.code, replyText: reason.text, classId: reason.classId, methodId: reason.methodId });
  }

  /** Warren closes: connection.close, then the client's close-ok (and we close the socket), within the closing timeout. */
  private fail(reason: CloseReason, timeoutMs = closingTimeoutMs(this.heartbeat)): void {
    if (this.isClosing || this.state === 'closed') return;
    this.sendMethod(0, 'connection.close', { replyCode: reason.code, replyText: reason.text, classId: reason.classId, methodId: reason.methodId });
    this.state = 'awaiting-close-ok';
    this.closeReason ??= reason.text;
    this.releaseAll('warn');
    this.out.closing(timeoutMs);
  }

  /**
   * The client closes: close-ok is our last frame, and closing the socket is the
   * client's to do. Closing first can make its reader see the end before close-ok.
   */
  private closeByClient(a: MethodArgs['connection.close']): void {
    this.closeReason ??= a.replyCode === 200 ? 'closed by client' : `closed by client: ${a.replyCode} ${a.replyText}`;
    this.sendMethod(0, 'connection.close-ok', {});
    this.state = 'awaiting-socket-close';
    this.releaseAll();
    this.out.closing(closingTimeoutMs(this.heartbeat));
  }

  /** The spec: once close is sent, all but close and close-ok is discarded; a close crossing ours gets close-ok. */
  private whileClosing(channel: number, method: Method | undefined): void {
    if (channel !== 0 || !method) return;
    if (method.name === 'connection.close-ok') {
      this.state = 'closed';
      this.out.end();
    } else if (method.name === 'connection.close' && this.state === 'awaiting-close-ok') {
      this.sendMethod(0, 'connection.close-ok', {});
      this.state = 'awaiting-socket-close';
    }
  }

  /**
   * Gives back what every channel holds. Publishes still waiting for their confirm
   * will never get one: that is logged, loudly when the broker ends the connection
   * (its publisher must resend them), quietly when the client left without waiting.
   */
  private releaseAll(level: 'warn' | 'debug' = 'debug'): void {
    for (const [id, channel] of this.channels) {
      const unconfirmed = channel.unconfirmed;
      if (unconfirmed.length > 0) {
        const plural = unconfirmed.length === 1 ? 'publish' : 'publishes';
        this.deps.log(level, `connection ${this.id} channel ${id}: ${unconfirmed.length} ${plural} never confirmed (delivery tags ${describeTags(unconfirmed)})`);
      }
      this.releaseChannel(channel);
    }
    this.deps.clients.closed(this.client, this.closeReason ?? 'closed');
    this.inbox.length = 0;
    void this.deps.topology.deleteExclusiveQueuesOf(this.id).catch((error: Error) => this.deps.log('warn', `connection ${this.id}: ${error.message}`));
  }

  /** Gives back what a channel holds, once; its counts join its vhost's totals. */
  private releaseChannel(channel: AmqpChannel): void {
    if (channel.isClosing) return;
    channel.release();
    this.deps.clients.channelClosed(channel);
  }

  /** Nothing follows close-ok, in either direction. */
  private sendMethod<K extends MethodName>(channel: number, name: K, args: MethodArgs[K]): void {
    if (this.state === 'awaiting-socket-close' || this.state === 'closed') return;
    this.out.write(encodeMethodFrame(channel, name, args));
  }
}

/** Content frames belong to the method they carry, and basic.publish is the only one a client sends. */
function contentOwner(frame: Frame): { classId: number; methodId: number } | undefined {
  return frame.type === FRAME_HEADER || frame.type === FRAME_BODY ? METHODS['basic.publish'] : undefined;
}
