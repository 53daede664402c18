/**
 * Real AMQP clients against the Warren of a test file: amqplib (promise and
 * callback APIs) and rabbitmq-client. Every client opened through `useClients`
 * is closed after each test, so a failing test leaks nothing into the next one
 * and jest exits.
 */
import * as amqp from 'amqplib';
import * as amqpCallback from 'amqplib/callback_api';
import { Connection as RabbitConnection, ConnectionOptions } from 'rabbitmq-client';
import type { RunningWarren } from '../../../support/warren-app';
import { RawClient } from './raw-client';

export type CallbackConnection = amqpCallback.Connection;

export interface Clients {
  /** amqplib, promise API. `url` overrides parts of the connection (user, vhost, frameMax...). */
  amqplib(options?: Partial<amqp.Options.Connect>, socketOptions?: amqp.SocketOptions): Promise<amqp.ChannelModel>;
  /** amqplib, callback API, connected. */
  callback(options?: Partial<amqp.Options.Connect>): Promise<CallbackConnection>;
  /** rabbitmq-client, connected, with reconnection switched off. */
  rabbit(options?: ConnectionOptions): Promise<RabbitConnection>;
  /** A hand-rolled client speaking frames through Warren's codec, for what no client library sends. */
  raw(options?: Parameters<typeof RawClient.connect>[1]): Promise<RawClient>;
}

export function connectOptions(warren: RunningWarren, options: Partial<amqp.Options.Connect> = {}): amqp.Options.Connect {
  return { protocol: 'amqp', hostname: '127.0.0.1', port: warren.amqpPort, username: 'guest', password: 'guest', vhost: '/', ...options };
}

export function useClients(warren: RunningWarren): Clients {
  let closers: (() => Promise<unknown>)[] = [];
  const track = <T>(client: T, close: (client: T) => Promise<unknown>): T => {
    closers.push(() => close(client));
    return client;
  };

  afterEach(async () => {
    const pending = closers;
    closers = [];
    await Promise.all(pending.map((close) => close().catch(() => undefined)));
  });

  return {
    async amqplib(options, socketOptions) {
      const connection = await amqp.connect(connectOptions(warren, options), socketOptions);
      connection.on('error', () => undefined);
      quietChannels(connection);
      return track(connection, (c) => c.close());
    },
    callback(options) {
      return new Promise((done, fail) => {
        amqpCallback.connect(connectOptions(warren, options), (error, connection) => {
          if (error) return fail(error);
          connection.on('error', () => undefined);
          done(track(connection, (c) => new Promise((closed) => c.close(() => closed(undefined)))));
        });
      });
    },
    async rabbit(options) {
      const connection = new RabbitConnection({
        url: warren.amqpUrl, retryLow: 50, retryHigh: 200, connectionTimeout: 20000, ...options,
      });
      connection.on('error', () => undefined);
      track(connection, (c) => c.close());
      await connection.onConnect(20000, true);
      return connection;
    },
    async raw(options) {
      const client = await RawClient.connect(warren.amqpPort, options);
      return track(client, (c) => c.destroy());
    },
  };
}

/**
 * amqplib throws from its socket handler when a channel closed by the broker has
 * no 'error' listener; tests look at the failed call instead, so listen quietly.
 */
function quietChannels(connection: amqp.ChannelModel): void {
  const createChannel = connection.createChannel.bind(connection);
  const createConfirmChannel = connection.createConfirmChannel.bind(connection);
  connection.createChannel = async (options) => (await createChannel(options)).on('error', () => undefined);
  connection.createConfirmChannel = async (options) => (await createConfirmChannel(options)).on('error', () => undefined);
}

/** Polls until `condition` holds; generous by default because the machine is noisy. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * The reply text of a close as amqplib reports it:
 * `Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - ..."`.
 */
export function replyTextOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /with message "(.*)"$/s.exec(message);
  if (!match) throw new Error(`not a server close: ${message}`);
  return match[1];
}

/** Resolves with the error amqplib reports when the server closes this channel. */
export function channelError(channel: amqp.Channel | amqp.ConfirmChannel): Promise<Error & { code?: number }> {
  return new Promise((done) => channel.once('error', done));
}

/** Resolves with the error amqplib reports when the server closes this connection. */
export function connectionError(connection: amqp.ChannelModel): Promise<Error & { code?: number }> {
  return new Promise((done) => connection.once('error', done));
}

/** Collects what a consumer receives, so tests can wait for a count and then look at all of it. */
export class Inbox<T> {
  readonly items: T[] = [];

  readonly push = (item: T): void => {
    this.items.push(item);
  };

  async waitFor(count: number, what = `${count} messages`): Promise<T[]> {
    await waitFor(() => this.items.length >= count, `${what} (have ${this.items.length})`);
    return this.items.slice(0, count);
  }
}

/** Consumes `queue` into an Inbox of the messages amqplib hands over (null ones included: broker cancels). */
export async function consumeInto(
  channel: amqp.Channel,
  queue: string,
  options: amqp.Options.Consume = {},
): Promise<{ inbox: Inbox<amqp.ConsumeMessage>; consumerTag: string; cancelled: Promise<void> }> {
  const inbox = new Inbox<amqp.ConsumeMessage>();
  let cancelled!: () => void;
  const cancelledPromise = new Promise<void>((done) => (cancelled = done));
  const { consumerTag } = await channel.consume(queue, (message) => (message ? inbox.push(message) : cancelled()), options);
  return { inbox, consumerTag, cancelled: cancelledPromise };
}

export const bodies = (messages: { content: Buffer }[]): string[] => messages.map((m) => m.content.toString());

let counter = 0;
/** A name unique within the run, so tests never trip over each other's queues. */
export const unique = (prefix: string): string => `${prefix}.${process.pid}.${++counter}`;

/**
 * Expects `attempt` to fail because the broker closed the channel (or connection)
 * with `code`, and returns the reply text so the test can look at it.
 */
export async function closedWith(attempt: Promise<unknown>, code: number): Promise<string> {
  const error = await attempt.then(
    (value) => {
      throw new Error(`expected a ${code} close, but it succeeded with ${JSON.stringify(value)}`);
    },
    (e: Error & { code?: number }) => e,
  );
  if (error.code !== code) throw new Error(`expected reply code ${code}, got ${error.code}: ${error.message}`);
  return replyTextOf(error);
}
