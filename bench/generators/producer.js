/**
 * Load generator: one connection, one channel, publishing as fast as the broker
 * takes messages. It honours both kinds of backpressure a client can see:
 * publish() returning false (wait for 'drain'), and, on a confirm channel, a cap on
 * unconfirmed messages in flight. The orchestrator may also tell it to hold off
 * while consumers lag too far behind (see lib/measure.js): it counts the copies
 * the broker should deliver, from copies per routing key, for that purpose.
 */
const amqp = require('amqplib');
const { serve, failOn, fail } = require('./ipc');

/** Publishes per turn of the event loop before yielding, so confirms and socket events get served. */
const BURST = 200;

let params;
let connection;
let channel;
let running = false;
let stopping = false;
let scheduled = false;
let waitingForDrain = false;
let heldByBacklog = false;
let inFlight = 0;
const counts = { published: 0, routed: 0, expected: 0, confirmed: 0, nacked: 0, drainWaits: 0, backlogHolds: 0 };
let body;
let publishOptions;

async function setup(p) {
  params = p;
  body = Buffer.alloc(p.bodySize, 'x');
  // One options object per priority, made once: no allocation per publish.
  const priorities = p.priorityLevels ? Array.from({ length: p.priorityLevels }, (_, i) => i) : [undefined];
  publishOptions = priorities.map((priority) => ({ persistent: p.persistent, priority }));
  connection = await amqp.connect(p.url);
  failOn(connection, 'connection');
  connection.on('close', () => { if (!stopping) fail('connection closed by the broker'); });
  connection.on('blocked', () => { counts.blocked = (counts.blocked ?? 0) + 1; });
  channel = p.confirm ? await connection.createConfirmChannel() : await connection.createChannel();
  failOn(channel, 'channel');
  channel.on('drain', onDrain);
  return { serverProperties: connection.connection.serverProperties };
}

function start() {
  running = true;
  wake();
}

/** Set by the orchestrator while the consumers are more than --max-backlog behind. */
function hold(on) {
  if (on && !heldByBacklog) counts.backlogHolds++;
  heldByBacklog = on;
  wake();
}

function wake() {
  if (scheduled || !running) return;
  scheduled = true;
  setImmediate(pump);
}

function pump() {
  scheduled = false;
  const { exchange, routingKeys, copies, confirm, maxInFlight } = params;
  for (let n = 0; running && n < BURST; n++) {
    if (waitingForDrain || heldByBacklog || (confirm && inFlight >= maxInFlight)) return;
    const k = routingKeys.length === 1 ? 0 : (Math.random() * routingKeys.length) | 0;
    const key = routingKeys[k];
    counts.expected += copies[k];
    if (copies[k] > 0) counts.routed++;
    const options = publishOptions.length === 1 ? publishOptions[0] : publishOptions[(Math.random() * publishOptions.length) | 0];
    let writable;
    if (confirm) {
      inFlight++;
      writable = channel.publish(exchange, key, body, options, onConfirm);
    } else {
      writable = channel.publish(exchange, key, body, options);
    }
    counts.published++;
    if (!writable) {
      waitingForDrain = true;
      counts.drainWaits++;
      return;
    }
  }
  wake();
}

function onDrain() {
  waitingForDrain = false;
  wake();
}

function onConfirm(error) {
  inFlight--;
  if (error) counts.nacked++;
  else counts.confirmed++;
  wake();
}

function snapshot() {
  return { ...counts, inFlight };
}

async function stop() {
  running = false;
  stopping = true;
  const final = snapshot();
  await connection.close().catch(() => undefined);
  return final;
}

serve({ setup, start, hold, snapshot, stop });
