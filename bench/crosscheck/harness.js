/**
 * What a cross-check scenario gets to work with: named resources (all prefixed
 * 'xcheck.' so nothing else on a shared RabbitMQ is touched), connections that
 * are closed afterwards, and helpers that turn a broker's refusal into plain
 * data ({ code, text } of the channel or connection close).
 */
'use strict';

const amqp = require('amqplib');
const { RawClient } = require('./raw-client');

class ScenarioContext {
  constructor(url, scenario, runId) {
    this.url = url;
    this.scenario = scenario;
    this.runId = runId;
    this.cleanups = [];
  }

  /** A resource name unique to this run: xcheck.<scenario>.<label>.<run>. */
  name(label = 'q') {
    return `xcheck.${this.scenario}.${label}.${this.runId}`;
  }

  async connect(options = {}, socketOptions = {}) {
    const connection = await amqp.connect(typeof options === 'string' ? options : { ...urlParts(this.url), ...options }, socketOptions);
    connection.closedWith = undefined;
    connection.on('error', (error) => (connection.closedWith = closeOf(error)));
    connection.on('close', () => (connection.isClosed = true));
    this.cleanups.push(() => (connection.isClosed ? undefined : connection.close()));
    return connection;
  }

  async channel(connection, confirm = false) {
    const conn = connection ?? (await this.connect());
    const channel = confirm ? await conn.createConfirmChannel() : await conn.createChannel();
    channel.on('error', (error) => (channel.closedWith = closeOf(error)));
    channel.on('close', () => (channel.isClosed = true));
    channel.connectionModel = conn;
    return channel;
  }

  async raw(options) {
    const client = await RawClient.open(this.url, options);
    this.cleanups.push(() => client.destroy());
    return client;
  }

  async rawSocket() {
    const client = await RawClient.socket(this.url);
    this.cleanups.push(() => client.destroy());
    return client;
  }

  /** Deletes a queue or exchange we created, on a connection of its own. */
  deleteLater(kind, name) {
    this.cleanups.unshift(async () => {
      const connection = await amqp.connect(urlParts(this.url));
      connection.on('error', () => undefined);
      try {
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        if (kind === 'queue') await channel.deleteQueue(name);
        else await channel.deleteExchange(name);
      } catch {
        // Already gone.
      } finally {
        await connection.close().catch(() => undefined);
      }
    });
  }

  /**
   * Runs `attempt` on `channel` and reports the outcome: { ok } with the reply,
   * or the close it caused: { channelClose: {code, text} } or { connectionClose: {code, text} }.
   */
  async outcome(channel, attempt) {
    try {
      const value = await attempt();
      return { ok: value === undefined ? true : value };
    } catch (error) {
      return this.closeAfter(channel, error);
    }
  }

  /** After a failed call (or an 'error' event), find out whether the channel or the whole connection went. */
  async closeAfter(channel, error) {
    const connection = channel.connectionModel;
    const probe = await connection.createChannel().then((c) => c.close().then(() => true), () => false).catch(() => false);
    if (!probe) {
      await waitFor(() => connection.closedWith, 3000);
      return { connectionClose: connection.closedWith ?? closeOf(error) };
    }
    return { channelClose: channel.closedWith ?? closeOf(error) };
  }

  /** Waits for the channel (or its connection) to be closed by the broker after a fire-and-forget call. */
  async closeOfChannel(channel) {
    await waitFor(() => channel.closedWith || channel.connectionModel.closedWith, 5000);
    if (channel.connectionModel.closedWith) return { connectionClose: channel.connectionModel.closedWith };
    if (channel.closedWith) return this.closeAfter(channel, channel.closedWith);
    return { stillOpen: true };
  }

  async cleanup() {
    for (const step of this.cleanups) await Promise.resolve().then(step).catch(() => undefined);
  }
}

function urlParts(url) {
  const parsed = new URL(url);
  return {
    protocol: 'amqp', hostname: parsed.hostname, port: Number(parsed.port) || 5672,
    username: decodeURIComponent(parsed.username || 'guest'), password: decodeURIComponent(parsed.password || 'guest'),
    vhost: decodeURIComponent(parsed.pathname.slice(1)) || '/',
  };
}

/** { code, text } from an amqplib error or a raw close frame's fields. */
function closeOf(error) {
  if (!error) return undefined;
  if (typeof error.replyCode === 'number') {
    return { code: error.replyCode, text: error.replyText, classId: error.classId, methodId: error.methodId };
  }
  const match = /with message "(.*)"$/s.exec(error.message ?? '');
  return { code: error.code, text: match ? match[1] : error.message };
}

async function waitFor(condition, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(10);
  return condition();
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Every ready message of `queue` via basic.get no-ack: [body, redelivered] pairs. */
async function drain(channel, queue) {
  const taken = [];
  for (let m = await channel.get(queue, { noAck: true }); m; m = await channel.get(queue, { noAck: true })) {
    taken.push([m.content.toString(), m.fields.redelivered]);
  }
  return taken;
}

/** Waits until `queue` holds `count` ready messages (or gives up after a while) and returns what it holds. */
async function settle(channel, queue, count) {
  let last;
  const deadline = Date.now() + 5000;
  do {
    last = (await channel.checkQueue(queue)).messageCount;
    if (last === count) break;
    await sleep(10);
  } while (Date.now() < deadline);
  return last;
}

module.exports = { ScenarioContext, closeOf, drain, settle, sleep, urlParts, waitFor };
