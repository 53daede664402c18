/**
 * Load generator: consumes from one or more queues with manual acks and a prefetch
 * limit, counting deliveries. Each queue gets its own channel; with
 * connectionPerQueue each also gets its own connection, as separate consumers would.
 * Acks go every ackEvery messages with multiple=true (1 = one ack per message); a
 * short timer acks the remainder so a quiet queue never holds unacked messages.
 */
const amqp = require('amqplib');
const { serve, failOn, fail } = require('./ipc');

const ACK_FLUSH_MS = 50;

let connections = [];
let stopping = false;
let delivered = 0;
let bytes = 0;
let flushTimer;
const consumers = [];

async function setup(p) {
  let shared;
  for (const queue of p.queues) {
    const connection = p.connectionPerQueue || !shared ? await connect(p.url) : shared;
    shared = connection;
    const channel = await connection.createChannel();
    failOn(channel, `channel on ${queue}`);
    await channel.prefetch(p.prefetch);
    const consumer = { channel, pending: 0, last: null };
    consumers.push(consumer);
    await channel.consume(queue, (message) => onMessage(consumer, message, p.ackEvery), { noAck: false });
  }
  if (p.ackEvery > 1) flushTimer = setInterval(flushAcks, ACK_FLUSH_MS);
  return null;
}

async function connect(url) {
  const connection = await amqp.connect(url);
  failOn(connection, 'connection');
  connection.on('close', () => { if (!stopping) fail('connection closed by the broker'); });
  connections.push(connection);
  return connection;
}

function onMessage(consumer, message, ackEvery) {
  if (message === null) {
    if (!stopping) fail('consumer cancelled by the broker');
    return;
  }
  delivered++;
  bytes += message.content.length;
  if (ackEvery === 1) {
    consumer.channel.ack(message);
    return;
  }
  consumer.last = message;
  if (++consumer.pending >= ackEvery) ackPending(consumer);
}

function ackPending(consumer) {
  consumer.channel.ack(consumer.last, true);
  consumer.pending = 0;
  consumer.last = null;
}

function flushAcks() {
  for (const consumer of consumers) if (consumer.pending > 0) ackPending(consumer);
}

function start() {
  return null;
}

function snapshot() {
  return { delivered, bytes };
}

async function stop() {
  stopping = true;
  clearInterval(flushTimer);
  const final = snapshot();
  await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
  return final;
}

serve({ setup, start, snapshot, stop });
