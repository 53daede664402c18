/**
 * Opens many idle connections, each with one channel and one consumer on a shared
 * queue, in batches so neither side sees a storm of handshakes. Nothing is
 * published; the orchestrator reads the broker's memory before and after. A
 * broker that stops accepting (RabbitMQ at its socket limit) makes handshakes time
 * out; opening then stops and reports how many it got.
 */
const amqp = require('amqplib');
const { serve, fail } = require('./ipc');

const HANDSHAKE_TIMEOUT_MS = 10_000;

let connections = [];
let stopping = false;

async function setup(p) {
  return p;
}

async function open(p) {
  const started = Date.now();
  let failed = 0;
  let firstError = null;
  for (let i = 0; i < p.count && failed === 0; i += p.batch) {
    const batch = Array.from({ length: Math.min(p.batch, p.count - i) }, () => openOne(p));
    for (const outcome of await Promise.allSettled(batch)) {
      if (outcome.status === 'fulfilled') connections.push(outcome.value);
      else {
        failed++;
        firstError ??= outcome.reason.message;
      }
    }
  }
  return { opened: connections.length, failed, firstError, ms: Date.now() - started };
}

async function openOne(p) {
  const connection = await amqp.connect(p.url, { timeout: HANDSHAKE_TIMEOUT_MS });
  connection.on('error', (error) => stopping || fail(`connection error: ${error.message}`));
  connection.on('close', () => stopping || fail('connection closed by the broker'));
  const channel = await connection.createChannel();
  channel.on('error', (error) => stopping || fail(`channel error: ${error.message}`));
  await channel.consume(p.queue, () => undefined, { noAck: false });
  return connection;
}

function start() {
  return null;
}

function snapshot() {
  return { open: connections.length };
}

async function stop(p) {
  stopping = true;
  const batch = p?.batch ?? 50;
  for (let i = 0; i < connections.length; i += batch) {
    await Promise.all(connections.slice(i, i + batch).map((c) => c.close().catch(() => undefined)));
  }
  const closed = connections.length;
  connections = [];
  return { closed };
}

serve({ setup, open, start, snapshot, stop });
