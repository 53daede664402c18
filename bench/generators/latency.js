/**
 * Latency probe: publishes at a steady rate and consumes in the same process, so
 * the publish and delivery timestamps come from one monotonic clock
 * (process.hrtime). The producer and the consumer still use separate connections.
 * The publish time is written into the first 8 bytes of the body just before
 * publish(); latency is taken when the consumer's callback runs.
 */
const amqp = require('amqplib');
const { serve, failOn, fail } = require('./ipc');

const TICK_MS = 1;

let params;
let producerConnection;
let consumerConnection;
let publisher;
let stopping = false;
let timer;
let startedNs;
let inFlight = 0;
const counts = { published: 0, delivered: 0, confirmed: 0, nacked: 0, behind: 0 };
/** Latencies in microseconds, in delivery order; snapshot() reports how many there are. */
let samples = new Float64Array(1 << 20);

async function connect(url) {
  const connection = await amqp.connect(url);
  failOn(connection, 'connection');
  connection.on('close', () => { if (!stopping) fail('connection closed by the broker'); });
  return connection;
}

async function setup(p) {
  params = p;
  producerConnection = await connect(p.url);
  consumerConnection = await connect(p.url);
  publisher = p.confirm ? await producerConnection.createConfirmChannel() : await producerConnection.createChannel();
  failOn(publisher, 'publish channel');
  const channel = await consumerConnection.createChannel();
  failOn(channel, 'consume channel');
  await channel.prefetch(p.prefetch);
  await channel.consume(p.queue, (message) => {
    if (message === null) return stopping || fail('consumer cancelled by the broker');
    record(Number(process.hrtime.bigint() - message.content.readBigUInt64BE(0)) / 1000);
    channel.ack(message);
  }, { noAck: false });
  return null;
}

function record(micros) {
  if (counts.delivered === samples.length) {
    const grown = new Float64Array(samples.length * 2);
    grown.set(samples);
    samples = grown;
  }
  samples[counts.delivered++] = micros;
}

function start() {
  startedNs = process.hrtime.bigint();
  timer = setInterval(tick, TICK_MS);
}

/** Sends whatever the schedule says is due by now, so a late timer catches up rather than drifting. */
function tick() {
  const due = Math.floor((Number(process.hrtime.bigint() - startedNs) / 1e9) * params.rate);
  const options = { persistent: params.persistent };
  while (counts.published < due) {
    if (params.confirm && inFlight >= params.maxInFlight) {
      counts.behind++;
      return;
    }
    const body = Buffer.alloc(params.bodySize, 'x');
    body.writeBigUInt64BE(process.hrtime.bigint(), 0);
    if (params.confirm) {
      inFlight++;
      publisher.publish('', params.queue, body, options, onConfirm);
    } else {
      publisher.publish('', params.queue, body, options);
    }
    counts.published++;
  }
}

function onConfirm(error) {
  inFlight--;
  if (error) counts.nacked++;
  else counts.confirmed++;
}

function snapshot() {
  return { ...counts };
}

/** Percentiles, in milliseconds, of the deliveries numbered from..to (two snapshots' counts). */
function percentiles({ from, to }) {
  const window = samples.slice(from, to).sort();
  const at = (q) => (window.length ? window[Math.min(window.length - 1, Math.floor(q * window.length))] / 1000 : NaN);
  return { count: window.length, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) };
}

async function stop() {
  clearInterval(timer);
  stopping = true;
  const final = snapshot();
  await producerConnection.close().catch(() => undefined);
  await consumerConnection.close().catch(() => undefined);
  return final;
}

serve({ setup, start, snapshot, percentiles, stop });
