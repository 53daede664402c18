/**
 * A broker under test: its URL, the pid whose memory and CPU are read, and an
 * admin connection through which workloads declare their topology. Everything
 * declared is recorded, so cleanup() deletes exactly what the benchmark created
 * and nothing else on a shared RabbitMQ. All names start with 'bench.'.
 */
const amqp = require('amqplib');
const { pidListeningOn, processUsage } = require('./system');

const PREFIX = 'bench.';

class Target {
  constructor(name, url, pid) {
    this.name = name;
    this.url = url;
    this.pid = pid;
    this.queues = new Set();
    this.exchanges = new Set();
  }

  static async connect(name, url, pid) {
    const target = new Target(name, url, pid ?? localPid(url));
    target.connection = await amqp.connect(url);
    target.connection.on('error', () => undefined);
    const props = target.connection.connection.serverProperties;
    target.product = String(props.product ?? 'unknown');
    target.version = String(props.version ?? 'unknown');
    return target;
  }

  usage() {
    return processUsage(this.pid);
  }

  /**
   * Runs fn with a fresh channel and closes it after; a channel error (a 404 or
   * 406) then costs only that channel, not the admin connection.
   */
  async withChannel(fn) {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return await fn(channel);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Declares a queue from empty: a leftover of an earlier, interrupted benchmark is deleted first. */
  async freshQueue(name, options) {
    checkName(name);
    this.queues.add(name);
    await this.deleteQueue(name);
    await this.withChannel((ch) => ch.assertQueue(name, options));
  }

  async freshExchange(name, type, options) {
    checkName(name);
    this.exchanges.add(name);
    await this.deleteExchange(name);
    await this.withChannel((ch) => ch.assertExchange(name, type, options));
  }

  /** Binds in parallel over a few channels: 10,000 bindings one round trip at a time take long on RabbitMQ. */
  async bindAll(bindings, channels = 8) {
    const lanes = Array.from({ length: channels }, (_, lane) => bindings.filter((_, i) => i % channels === lane));
    await Promise.all(lanes.map((lane) => this.withChannel(async (ch) => {
      for (const { queue, exchange, key } of lane) await ch.bindQueue(queue, exchange, key);
    })));
  }

  async purge(queues) {
    await this.withChannel(async (ch) => { for (const q of queues) await ch.purgeQueue(q); });
  }

  async deleteQueues(names) {
    for (const name of names) {
      await this.deleteQueue(name);
      this.queues.delete(name);
    }
  }

  /**
   * RabbitMQ answers delete-ok for a queue or exchange that does not exist; Warren
   * (for now) answers 404, which closes the channel. Either way it is gone.
   */
  async deleteQueue(name) {
    await this.withChannel((ch) => ch.deleteQueue(name)).catch(ignoreNotFound);
  }

  async deleteExchange(name) {
    await this.withChannel((ch) => ch.deleteExchange(name)).catch(ignoreNotFound);
  }

  /** Deletes every queue and exchange this benchmark declared on the broker. */
  async cleanup() {
    for (const name of this.queues) await this.deleteQueue(name);
    for (const name of this.exchanges) await this.deleteExchange(name);
    this.queues.clear();
    this.exchanges.clear();
  }

  async close() {
    await this.connection.close().catch(() => undefined);
  }
}

function ignoreNotFound(error) {
  if (error?.code !== 404) throw error;
}

function checkName(name) {
  if (!name.startsWith(PREFIX)) throw new Error(`benchmark names must start with '${PREFIX}': ${name}`);
}

/** The broker's pid, when it runs on this machine and listens on the URL's port. */
function localPid(url) {
  const { hostname, port } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) return null;
  return pidListeningOn(Number(port || 5672));
}

module.exports = { Target, PREFIX };
