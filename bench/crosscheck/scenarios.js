/**
 * The cross-check scenarios: the behaviours of issue 4 that the e2e tests
 * assert, each run as a short script whose result (reply codes and texts,
 * delivery order, counts, redelivered flags) is plain data, so that two
 * brokers' results can be compared line by line.
 */
'use strict';

const { createHash } = require('crypto');
const amqp = require('amqplib');
const { drain, settle, sleep, urlParts } = require('./harness');
const { defs } = require('./raw-client');

const scenarios = [];
const scenario = (name, run) => scenarios.push({ name, run });

const numbered = (n, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

async function queueWith(t, ch, label, bodies, options = {}) {
  const queue = t.name(label);
  await ch.assertQueue(queue, { durable: false, ...options });
  t.deleteLater('queue', queue);
  for (const body of bodies) ch.sendToQueue(queue, Buffer.from(body));
  await settle(ch, queue, bodies.length);
  return queue;
}

/** Consumes into an array; returns it and the consumer tag. */
async function collect(ch, queue, options = {}) {
  const got = [];
  const { consumerTag } = await ch.consume(queue, (m) => got.push(m), options);
  return { got, consumerTag };
}

const summary = (messages) => messages.map((m) => (m === null ? null : [m.content.toString(), m.fields.redelivered]));

// ---- connection ------------------------------------------------------------

scenario('connection.server-properties-and-tune', async (t) => {
  const connection = await t.connect({ frameMax: 0, channelMax: 0 });
  const { capabilities } = connection.connection.serverProperties;
  const wanted = ['publisher_confirms', 'exchange_exchange_bindings', 'basic.nack', 'consumer_cancel_notify', 'connection.blocked', 'authentication_failure_close'];
  return {
    capabilities: Object.fromEntries(wanted.map((name) => [name, capabilities[name]])),
    tune: { channelMax: connection.connection.channelMax, frameMax: connection.connection.frameMax, heartbeat: connection.connection.heartbeat },
  };
});

scenario('connection.wrong-password', async (t) => {
  const parts = urlParts(t.url);
  const result = {};
  for (const [mechanism, credentials] of [['PLAIN', amqp.credentials.plain(parts.username, 'wrong')], ['AMQPLAIN', amqp.credentials.amqplain(parts.username, 'wrong')]]) {
    result[mechanism] = await amqp.connect(parts, { credentials }).then((c) => c.close().then(() => 'connected'), (e) => e.message);
  }
  return result;
});

scenario('connection.amqplain-login', async (t) => {
  const parts = urlParts(t.url);
  const connection = await amqp.connect(parts, { credentials: amqp.credentials.amqplain(parts.username, parts.password) });
  await connection.close();
  return 'connected';
});

scenario('connection.unknown-vhost', async (t) => {
  const error = await t.raw({ vhost: 'xcheck-no-such-vhost' }).then(() => undefined, (e) => e.frame);
  return error && { name: error.name, fields: error.fields };
});

scenario('connection.frame-max-below-minimum', async (t) => {
  const error = await t.raw({ frameMax: 2048 }).then(() => undefined, (e) => e.frame);
  return error ? { name: error.name, code: error.fields.replyCode, textStart: error.fields.replyText.split(' - ')[0] } : 'accepted';
});

scenario('connection.channel-above-channel-max', async (t) => {
  const raw = await t.raw({ channelMax: 3, openChannel: false });
  raw.send(3, 'channel.open', { outOfBand: '' });
  const three = await raw.nextMethod();
  raw.send(4, 'channel.open', { outOfBand: '' });
  const four = await raw.nextMethod();
  return { three: three?.name, four: four && { name: four.name, code: four.fields.replyCode, textStart: four.fields.replyText?.split(' - ')[0] } };
});

scenario('connection.channel-count-above-channel-max', async (t) => {
  const raw = await t.raw({ channelMax: 2, openChannel: false });
  const replies = [];
  for (const id of [1, 2, 3]) {
    raw.send(id, 'channel.open', { outOfBand: '' });
    const reply = await raw.nextMethod();
    replies.push(reply && (reply.name === 'channel.open-ok' ? reply.name : { name: reply.name, code: reply.fields.replyCode, text: reply.fields.replyText }));
  }
  return replies;
});

scenario('connection.protocol-header-mismatch', async (t) => {
  const raw = await t.rawSocket();
  raw.expectHeaderReply = true;
  raw.socket.write(Buffer.from('AMQP\x01\x01\x00\x0a', 'latin1'));
  const reply = await raw.next();
  await raw.closed;
  return { reply: reply && reply.bytes, closed: true };
});

scenario('connection.frame-size-fudge', async (t) => {
  const raw = await t.raw({ frameMax: 4096 });
  const queue = t.name();
  raw.send(1, 'queue.declare', { queue, exclusive: true, arguments: {} });
  await raw.expect(1, 'queue.declare-ok');
  raw.send(1, 'basic.publish', { exchange: '', routingKey: queue });
  raw.header(1, 4096);
  raw.body(1, Buffer.alloc(4096, 1));
  raw.send(1, 'queue.declare', { queue, passive: true, arguments: {} });
  const accepted = await raw.nextMethod();
  raw.send(1, 'basic.publish', { exchange: '', routingKey: queue });
  raw.header(1, 4097);
  raw.body(1, Buffer.alloc(4097, 1));
  const refused = await raw.nextMethod();
  return {
    payloadOfFrameMax: accepted && accepted.name,
    payloadAboveFrameMax: refused && { name: refused.name, code: refused.fields.replyCode, textStart: refused.fields.replyText?.split(' - ')[0] },
  };
});

scenario('connection.small-frame-max-large-message', async (t) => {
  const connection = await t.connect({ frameMax: 4096 }, { maxFrameSize: 4096 });
  const ch = await t.channel(connection);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  const body = Buffer.alloc(300000, 'abc');
  ch.sendToQueue(queue, body);
  const received = await new Promise((done) => ch.consume(queue, (m) => m && done(m), { noAck: true }));
  return { frameMax: connection.connection.frameMax, identical: received.content.equals(body) };
});

scenario('connection.update-secret', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  return ch.connectionModel.updateSecret(Buffer.from(urlParts(t.url).password), 'xcheck').then(() => 'update-secret-ok', (e) => e.message);
});

scenario('connection.heartbeat-1-idle', async (t) => {
  const connection = await t.connect({ heartbeat: 1 });
  await sleep(3500);
  const ch = await t.channel(connection);
  await ch.checkExchange('amq.direct');
  return { heartbeat: connection.connection.heartbeat, stillOpen: !connection.isClosed };
});

scenario('connection.method-on-unopened-channel', async (t) => {
  const raw = await t.raw();
  raw.send(42, 'queue.declare', { queue: 'x', arguments: {} });
  const close = await raw.nextMethod();
  return close && { name: close.name, code: close.fields.replyCode, textStart: close.fields.replyText?.split(' - ')[0], classId: close.fields.classId, methodId: close.fields.methodId };
});

scenario('connection.error-leaves-others', async (t) => {
  const bystander = await t.channel();
  const { queue } = await bystander.assertQueue('', { exclusive: true });
  const raw = await t.raw();
  raw.publish(1, { exchange: '', routingKey: queue, immediate: true }, Buffer.from('x'));
  const close = await raw.nextMethod();
  bystander.sendToQueue(queue, Buffer.from('fine'));
  await settle(bystander, queue, 1);
  return { culprit: close && { name: close.name, code: close.fields.replyCode, text: close.fields.replyText, classId: close.fields.classId, methodId: close.fields.methodId }, bystander: await drain(bystander, queue) };
});

// ---- exchanges ---------------------------------------------------------------

scenario('exchange.passive-missing', async (t) => {
  const ch = await t.channel();
  return t.outcome(ch, () => ch.checkExchange('xcheck-no-such-exchange'));
});

scenario('exchange.redeclare-other-type', async (t) => {
  const ch = await t.channel();
  const name = t.name('ex');
  await ch.assertExchange(name, 'direct', { durable: false });
  t.deleteLater('exchange', name);
  return t.outcome(ch, () => ch.assertExchange(name, 'fanout', { durable: false }));
});

scenario('exchange.reserved-name', async (t) => {
  const ch = await t.channel();
  return t.outcome(ch, () => ch.assertExchange('amq.xcheck', 'direct', { durable: false }));
});

scenario('exchange.unknown-type', async (t) => {
  const ch = await t.channel();
  const name = t.name('ex');
  t.deleteLater('exchange', name);
  return t.outcome(ch, () => ch.assertExchange(name, 'xcheck-type', { durable: false }));
});

scenario('exchange.delete-missing', async (t) => {
  const ch = await t.channel();
  return t.outcome(ch, () => ch.deleteExchange(t.name('never-declared')));
});

scenario('exchange.delete-if-unused', async (t) => {
  const ch = await t.channel();
  const name = t.name('ex');
  await ch.assertExchange(name, 'fanout', { durable: false });
  t.deleteLater('exchange', name);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, name, '');
  const inUse = await t.outcome(ch, () => ch.deleteExchange(name, { ifUnused: true }));
  return { inUse: JSON.parse(JSON.stringify(inUse).replaceAll(queue, '<queue>')) };
});

scenario('exchange.exchange-to-exchange-binding', async (t) => {
  const ch = await t.channel();
  const source = t.name('src');
  const destination = t.name('dst');
  await ch.assertExchange(source, 'topic', { durable: false });
  await ch.assertExchange(destination, 'direct', { durable: false });
  t.deleteLater('exchange', source);
  t.deleteLater('exchange', destination);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, destination, 'orders.eu');
  await ch.bindExchange(destination, source, 'orders.*');
  for (const key of ['orders.eu', 'orders.us', 'invoices.eu']) ch.publish(source, key, Buffer.from(key));
  await sleep(100);
  const bound = await drain(ch, queue);
  await ch.unbindExchange(destination, source, 'orders.*');
  ch.publish(source, 'orders.eu', Buffer.from('after'));
  await sleep(100);
  return { bound, afterUnbind: await drain(ch, queue) };
});

// ---- queues ------------------------------------------------------------------

scenario('queue.server-named', async (t) => {
  const ch = await t.channel();
  const declared = await ch.assertQueue('', { exclusive: true });
  return { ...declared, queue: /^amq\.gen-[A-Za-z0-9_-]{22}$/.test(declared.queue) ? 'amq.gen-<22 chars>' : declared.queue };
});

scenario('queue.passive-missing', async (t) => {
  const ch = await t.channel();
  return t.outcome(ch, () => ch.checkQueue('xcheck-no-such-queue'));
});

scenario('queue.passive-counts', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['a', 'b', 'c']);
  const consumer = await t.channel();
  await consumer.prefetch(1);
  await consumer.consume(queue, () => undefined);
  await settle(ch, queue, 2);
  const { messageCount, consumerCount } = await ch.checkQueue(queue);
  return { messageCount, consumerCount };
});

scenario('queue.redeclare-other-arguments', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', [], { arguments: { 'x-max-priority': 5 } });
  const result = await t.outcome(ch, () => ch.assertQueue(queue, { durable: false, arguments: { 'x-max-priority': 6 } }));
  const durable = await t.outcome(await t.channel(), () => t.connect().then((c) => c.createChannel()).then((c) => c.on('error', () => undefined).assertQueue(queue, { durable: true, arguments: { 'x-max-priority': 5 } })));
  return { priority: result, durability: durable };
});

scenario('queue.reserved-name', async (t) => {
  const ch = await t.channel();
  return t.outcome(ch, () => ch.assertQueue('amq.xcheck'));
});

scenario('queue.exclusive-elsewhere', async (t) => {
  const owner = await t.connect();
  const ownerChannel = await t.channel(owner);
  const queue = t.name();
  await ownerChannel.assertQueue(queue, { exclusive: true });
  await ownerChannel.consume(queue, () => undefined);
  const other = await t.connect();
  const attempts = {};
  for (const [label, attempt] of Object.entries({
    declare: (ch) => ch.assertQueue(queue, { exclusive: true }),
    declarePassive: (ch) => ch.checkQueue(queue),
    consume: (ch) => ch.consume(queue, () => undefined),
    get: (ch) => ch.get(queue),
    purge: (ch) => ch.purgeQueue(queue),
    delete: (ch) => ch.deleteQueue(queue),
    bind: (ch) => ch.bindQueue(queue, 'amq.direct', 'k'),
  })) {
    const ch = await t.channel(other);
    attempts[label] = await t.outcome(ch, () => attempt(ch));
  }
  const sameConnection = await t.outcome(ownerChannel, () => ownerChannel.checkQueue(queue).then((q) => q.queue === queue));
  await owner.close();
  await sleep(200);
  const ch = await t.channel(other);
  const afterOwnerCloses = await t.outcome(ch, () => ch.checkQueue(queue));
  return JSON.parse(JSON.stringify({ attempts, sameConnection, afterOwnerCloses }).replaceAll(queue, '<queue>'));
});

scenario('queue.exclusive-redeclare-of-shared-queue', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', []);
  return t.outcome(ch, () => ch.assertQueue(queue, { durable: false, exclusive: true }));
});

scenario('queue.auto-delete', async (t) => {
  const ch = await t.channel();
  const queue = t.name();
  await ch.assertQueue(queue, { autoDelete: true, durable: false });
  t.deleteLater('queue', queue);
  const exists = async () => {
    const probe = await t.channel();
    return probe.checkQueue(queue).then(() => true, () => false);
  };
  const before = await exists();
  const a = await ch.consume(queue, () => undefined);
  const b = await ch.consume(queue, () => undefined);
  await ch.cancel(a.consumerTag);
  const afterFirstCancel = await exists();
  await ch.cancel(b.consumerTag);
  await sleep(200);
  return { beforeAnyConsumer: before, afterFirstCancel, afterLastCancel: await exists() };
});

scenario('queue.declare-nowait', async (t) => {
  const raw = await t.raw();
  const queue = t.name();
  raw.send(1, 'queue.declare', { queue, exclusive: true, nowait: true, arguments: {} });
  raw.send(1, 'queue.declare', { queue, passive: true, arguments: {} });
  const first = await raw.nextMethod();
  return { firstReply: first.name, fields: { ...first.fields, queue: first.fields.queue === queue ? '<queue>' : first.fields.queue } };
});

scenario('queue.purge', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['a', 'b', 'c', 'd']);
  const held = await ch.get(queue);
  const purged = await ch.purgeQueue(queue);
  ch.nack(held, false, true);
  await sleep(50);
  return { purged, afterRequeueOfHeld: await drain(ch, queue) };
});

scenario('queue.delete', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['1', '2', '3']);
  const deleted = await ch.deleteQueue(queue);
  const missing = await t.outcome(ch, () => ch.deleteQueue(t.name('never-declared')));
  return { deleted, deleteOfMissing: missing };
});

scenario('queue.delete-if-empty-if-unused', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['x']);
  const ifEmpty = await t.outcome(ch, () => ch.deleteQueue(queue, { ifEmpty: true }));
  const ch2 = await t.channel();
  await ch2.purgeQueue(queue);
  await ch2.consume(queue, () => undefined);
  const ch3 = await t.channel();
  const ifUnused = await t.outcome(ch3, () => ch3.deleteQueue(queue, { ifUnused: true }));
  return JSON.parse(JSON.stringify({ ifEmpty, ifUnused }).replaceAll(queue, '<queue>'));
});

scenario('queue.delete-with-consumers', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', []);
  const consumer = await t.channel();
  const events = [];
  consumer.on('cancel', () => events.push('cancel-event'));
  await consumer.consume(queue, (m) => events.push(m === null ? 'null-message' : 'message'));
  await (await t.channel()).deleteQueue(queue);
  await sleep(200);
  const usable = await consumer.checkExchange('amq.direct').then(() => true, () => false);
  return { events, channelUsable: usable };
});

scenario('queue.bind-errors', async (t) => {
  const connection = await t.connect();
  const queue = await queueWith(t, await t.channel(connection), 'q', []);
  const result = {};
  let ch = await t.channel(connection);
  result.missingQueue = await t.outcome(ch, () => ch.bindQueue('xcheck-no-such-queue', 'amq.direct', 'k'));
  ch = await t.channel(connection);
  result.missingExchange = await t.outcome(ch, () => ch.bindQueue(queue, 'xcheck-no-such-exchange', 'k'));
  ch = await t.channel(connection);
  result.defaultExchange = await t.outcome(ch, () => ch.bindQueue(queue, '', queue));
  ch = await t.channel(connection);
  result.unbindNeverBound = await t.outcome(ch, () => ch.unbindQueue(queue, 'amq.direct', 'never'));
  return JSON.parse(JSON.stringify(result).replaceAll(queue, '<queue>'));
});

scenario('queue.topic-and-headers-routing', async (t) => {
  const ch = await t.channel();
  const { queue: topic } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(topic, 'amq.topic', 'stock.#');
  await ch.bindQueue(topic, 'amq.topic', '*.nyse');
  const { queue: headers } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(headers, 'amq.headers', '', { 'x-match': 'any', format: 'pdf', type: 'report' });
  for (const key of ['stock.nyse', 'stock', 'bond.nyse', 'bond.lse', 'stock.a.b']) ch.publish('amq.topic', key, Buffer.from(key));
  for (const format of ['pdf', 'zip']) ch.publish('amq.headers', '', Buffer.from(format), { headers: { format } });
  await sleep(100);
  return { topic: await drain(ch, topic), headers: await drain(ch, headers) };
});

// ---- consumers -------------------------------------------------------------------

scenario('consume.tags', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', []);
  const generated = await ch.consume(queue, () => undefined);
  const given = await ch.consume(queue, () => undefined, { consumerTag: 'xcheck-tag' });
  return { generated: /^amq\.ctag-[A-Za-z0-9_-]+$/.test(generated.consumerTag) ? 'amq.ctag-<id>' : generated.consumerTag, given: given.consumerTag };
});

scenario('consume.duplicate-tag', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', []);
  await ch.consume(queue, () => undefined, { consumerTag: 'twice' });
  return t.outcome(ch, () => ch.consume(queue, () => undefined, { consumerTag: 'twice' }));
});

scenario('consume.missing-queue', async (t) => {
  const ch = await t.channel();
  return t.outcome(ch, () => ch.consume('xcheck-no-such-queue', () => undefined));
});

scenario('consume.exclusive', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', []);
  await ch.consume(queue, () => undefined, { exclusive: true });
  const second = await t.channel(connection);
  const joinExclusive = await t.outcome(second, () => second.consume(queue, () => undefined));
  const other = await queueWith(t, ch, 'q2', []);
  await ch.consume(other, () => undefined);
  const third = await t.channel(connection);
  const exclusiveOnShared = await t.outcome(third, () => third.consume(other, () => undefined, { exclusive: true }));
  return JSON.parse(JSON.stringify({ joinExclusive, exclusiveOnShared }).replaceAll(other, '<queue2>').replaceAll(queue, '<queue>'));
});

scenario('consume.no-ack', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', numbered(3));
  const consumer = await t.channel(connection);
  const { got } = await collect(consumer, queue, { noAck: true });
  await sleep(100);
  await consumer.close();
  const { messageCount, consumerCount } = await ch.checkQueue(queue);
  return { received: summary(got), after: { messageCount, consumerCount } };
});

scenario('consume.nowait', async (t) => {
  const raw = await t.raw();
  const queue = t.name();
  raw.send(1, 'queue.declare', { queue, exclusive: true, arguments: {} });
  await raw.expect(1, 'queue.declare-ok');
  raw.send(1, 'basic.consume', { queue, consumerTag: 'silent', noAck: true, nowait: true, arguments: {} });
  raw.publish(1, { routingKey: queue }, Buffer.from('pushed'));
  const first = await raw.nextMethod();
  return { firstFrame: first.name, consumerTag: first.fields.consumerTag };
});

scenario('cancel.stops-deliveries', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', []);
  const { got, consumerTag } = await collect(ch, queue, { noAck: true });
  ch.sendToQueue(queue, Buffer.from('before'));
  await settle(ch, queue, 0);
  const reply = await ch.cancel(consumerTag);
  ch.sendToQueue(queue, Buffer.from('after'));
  const left = await settle(ch, queue, 1);
  return { cancelOkTagMatches: reply.consumerTag === consumerTag, received: summary(got), left };
});

scenario('cancel.unknown-tag', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'basic.cancel', { consumerTag: 'never-was' });
  const reply = await raw.nextMethod();
  return { name: reply.name, fields: reply.fields };
});

scenario('deliver.round-robin', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', []);
  const a = await collect(await t.channel(connection), queue, { noAck: true });
  const b = await collect(await t.channel(connection), queue, { noAck: true });
  for (const body of numbered(10)) ch.sendToQueue(queue, Buffer.from(body));
  await settle(ch, queue, 0);
  await sleep(100);
  return { a: summary(a.got), b: summary(b.got) };
});

scenario('qos.per-consumer', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', numbered(10));
  const consumerChannel = await t.channel(connection);
  await consumerChannel.prefetch(2);
  const a = await collect(consumerChannel, queue);
  const b = await collect(consumerChannel, queue);
  const leftFirst = await settle(ch, queue, 6);
  const counts = [a.got.length, b.got.length];
  consumerChannel.ack(a.got[0]);
  const leftAfterAck = await settle(ch, queue, 5);
  return { leftFirst, counts, leftAfterAck, countsAfterAck: [a.got.length, b.got.length] };
});

scenario('qos.global', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', numbered(10));
  const consumerChannel = await t.channel(connection);
  await consumerChannel.prefetch(3, true);
  const a = await collect(consumerChannel, queue);
  const b = await collect(consumerChannel, queue);
  const left = await settle(ch, queue, 7);
  consumerChannel.ack(a.got[0] ?? b.got[0]);
  return { left, total: a.got.length + b.got.length, leftAfterAck: await settle(ch, queue, 6) };
});

scenario('qos.global-and-per-consumer', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', numbered(10));
  const consumerChannel = await t.channel(connection);
  await consumerChannel.prefetch(3, false);
  await consumerChannel.prefetch(4, true);
  const a = await collect(consumerChannel, queue);
  const b = await collect(consumerChannel, queue);
  const left = await settle(ch, queue, 6);
  return { left, counts: [a.got.length, b.got.length] };
});

scenario('qos.raise-global-prefetch', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', numbered(5));
  const consumerChannel = await t.channel(connection);
  await consumerChannel.prefetch(1, true);
  const { got } = await collect(consumerChannel, queue);
  const before = await settle(ch, queue, 4);
  await consumerChannel.prefetch(3, true);
  const after = await settle(ch, queue, 2);
  return { before, after, received: got.length };
});

scenario('qos.prefetch-size', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'basic.qos', { prefetchSize: 1000, prefetchCount: 1, global: false });
  const reply = await raw.nextMethod();
  return { name: reply.name, code: reply.fields.replyCode, text: reply.fields.replyText };
});

scenario('redeliver.on-channel-close', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', numbered(6));
  const first = await t.channel(connection);
  await first.prefetch(3);
  const { got, consumerTag } = await collect(first, queue);
  await settle(ch, queue, 3);
  await first.cancel(consumerTag);
  first.ack(got[1]);
  await first.close();
  const second = await t.channel(connection);
  const again = await collect(second, queue, { noAck: true });
  await settle(ch, queue, 0);
  await sleep(50);
  return { firstGot: summary(got), afterClose: summary(again.got) };
});

scenario('redeliver.on-connection-close', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', numbered(4));
  const doomed = await t.connect();
  const doomedChannel = await t.channel(doomed);
  await doomedChannel.prefetch(2);
  await collect(doomedChannel, queue);
  await settle(ch, queue, 2);
  await doomed.close();
  await settle(ch, queue, 4);
  return { afterClose: await drain(ch, queue) };
});

scenario('priority.order', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', [], { arguments: { 'x-max-priority': 10 } });
  const published = [['p0-a'], ['p5-a', 5], ['p1-a', 1], ['p9-a', 9], ['p5-b', 5], ['p0-b', 0], ['p10-a', 10], ['p200', 200], ['p1-b', 1], ['p9-b', 9], ['p5-c', 5]];
  for (const [body, priority] of published) ch.sendToQueue(queue, Buffer.from(body), priority === undefined ? {} : { priority });
  await settle(ch, queue, published.length);
  const consumerChannel = await t.channel(connection);
  await consumerChannel.prefetch(1);
  const order = [];
  await consumerChannel.consume(queue, (m) => {
    order.push(m.content.toString());
    if (order.length === 1) ch.sendToQueue(queue, Buffer.from('late-p8'), { priority: 8 });
    setTimeout(() => consumerChannel.ack(m), order.length === 1 ? 200 : 0);
  });
  for (let i = 0; i < 100 && order.length < published.length + 1; i++) await sleep(50);
  return { order };
});

// ---- basic.get and acknowledgements ------------------------------------------------

scenario('priority.get-and-requeue-in-place', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', [], { arguments: { 'x-max-priority': 5 } });
  for (const [body, priority] of [['a5', 5], ['b5', 5], ['c1', 1], ['d-none']]) ch.sendToQueue(queue, Buffer.from(body), priority ? { priority } : {});
  await settle(ch, queue, 4);
  const a = await ch.get(queue);
  ch.reject(a, true);
  await settle(ch, queue, 4);
  return { order: await drain(ch, queue) };
});

scenario('get.ok-and-empty', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['first', 'second', 'third']);
  const first = await ch.get(queue, { noAck: true });
  const second = await ch.get(queue);
  ch.ack(second);
  await ch.get(queue, { noAck: true });
  const empty = await ch.get(queue);
  const fields = (m) => ({ ...m.fields, routingKey: m.fields.routingKey === queue ? '<queue>' : m.fields.routingKey });
  return { first: fields(first), second: fields(second), empty };
});

scenario('ack.multiple-nack-reject', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', numbered(6));
  const reader = await t.channel(connection);
  const got = [];
  for (let i = 0; i < 6; i++) got.push(await reader.get(queue));
  reader.ack(got[1], true);            // m1, m2 gone
  reader.nack(got[3], true, true);     // m3, m4 back
  reader.reject(got[4], false);        // m5 dropped
  reader.reject(got[5], true);         // m6 back
  await settle(ch, queue, 3);
  return { left: await drain(ch, queue) };
});

scenario('ack.unknown-tag', async (t) => {
  const ch = await t.channel();
  ch.ack({ fields: { deliveryTag: 42 } });
  return t.closeOfChannel(ch);
});

scenario('ack.twice', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['a']);
  const m = await ch.get(queue);
  ch.ack(m);
  ch.ack(m);
  return t.closeOfChannel(ch);
});

scenario('ack.multiple-unknown', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['a']);
  await ch.get(queue);
  ch.ack({ fields: { deliveryTag: 5 } }, true);
  return t.closeOfChannel(ch);
});

scenario('ack.tag-of-another-channel', async (t) => {
  const connection = await t.connect();
  const owner = await t.channel(connection);
  const queue = await queueWith(t, owner, 'q', ['a']);
  const message = await owner.get(queue);
  const stranger = await t.channel(connection);
  stranger.ack(message);
  return t.closeOfChannel(stranger);
});

scenario('ack.after-cancel', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['a', 'b']);
  const { got, consumerTag } = await collect(ch, queue);
  await settle(ch, queue, 0);
  await ch.cancel(consumerTag);
  for (const m of got) ch.ack(m);
  const { messageCount, consumerCount } = await ch.checkQueue(queue);
  return { received: got.length, messageCount, consumerCount, channelOpen: !ch.closedWith };
});

scenario('ack.all-with-nothing-outstanding', async (t) => {
  const ch = await t.channel();
  ch.ackAll();
  await sleep(100);
  return t.outcome(ch, () => ch.checkExchange('amq.direct'));
});

scenario('recover.requeue', async (t) => {
  const ch = await t.channel();
  const queue = await queueWith(t, ch, 'q', ['m1', 'm2']);
  const { got } = await collect(ch, queue);
  await settle(ch, queue, 0);
  await ch.recover();
  for (let i = 0; i < 50 && got.length < 4; i++) await sleep(20);
  return { received: summary(got), tags: got.map((m) => m.fields.deliveryTag) };
});

scenario('recover.async-and-no-requeue', async (t) => {
  const raw = await t.raw();
  const queue = t.name();
  raw.send(1, 'queue.declare', { queue, exclusive: true, arguments: {} });
  await raw.expect(1, 'queue.declare-ok');
  raw.publish(1, { routingKey: queue }, Buffer.from('again'));
  raw.send(1, 'basic.consume', { queue, consumerTag: 'c', arguments: {} });
  await raw.expect(1, 'basic.consume-ok');
  const first = await raw.nextMethod();
  raw.send(1, 'basic.recover-async', { requeue: true });
  const second = await raw.nextMethod();
  raw.send(1, 'basic.recover', { requeue: false });
  const third = await raw.nextMethod();
  const brief = (f) => f && { name: f.name, deliveryTag: f.fields.deliveryTag, redelivered: f.fields.redelivered, code: f.fields.replyCode, text: f.fields.replyText };
  return { first: brief(first), afterRecoverAsync: brief(second), afterRecoverNoRequeue: brief(third) };
});

// ---- publishing ------------------------------------------------------------------

scenario('publish.mandatory-return', async (t) => {
  const ch = await t.channel();
  const returned = new Promise((done) => ch.once('return', done));
  ch.publish('amq.direct', 'xcheck-nobody', Buffer.from('bounce'), { mandatory: true, messageId: 'm-1', headers: { a: 1 } });
  const message = await returned;
  return { fields: message.fields, body: message.content.toString(), messageId: message.properties.messageId, headers: message.properties.headers };
});

scenario('publish.mandatory-confirm-order', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'confirm.select', { nowait: false });
  await raw.expect(1, 'confirm.select-ok');
  raw.publish(1, { exchange: 'amq.direct', routingKey: 'xcheck-nowhere', mandatory: true }, Buffer.from('x'));
  const frames = [];
  for (let i = 0; i < 4; i++) {
    const frame = await raw.next();
    frames.push(frame.kind === 'method' ? `${frame.name}${frame.name === 'basic.ack' ? ` ${frame.fields.deliveryTag}/${frame.fields.multiple}` : ''}` : frame.kind);
  }
  return frames;
});

scenario('publish.immediate', async (t) => {
  const raw = await t.raw();
  raw.publish(1, { routingKey: 'xcheck', immediate: true }, Buffer.from('now'));
  const close = await raw.nextMethod();
  return close && { name: close.name, channel: close.channel, fields: close.fields };
});

scenario('publish.missing-exchange', async (t) => {
  const ch = await t.channel();
  ch.publish('xcheck-no-such-exchange', 'k', Buffer.from('lost'));
  return t.closeOfChannel(ch);
});

scenario('publish.internal-exchange', async (t) => {
  const ch = await t.channel();
  const name = t.name('internal');
  await ch.assertExchange(name, 'fanout', { internal: true, durable: false });
  t.deleteLater('exchange', name);
  ch.publish(name, '', Buffer.from('no'));
  const result = await t.closeOfChannel(ch);
  return JSON.parse(JSON.stringify(result).replaceAll(name, '<exchange>'));
});

scenario('publish.user-id-mismatch', async (t) => {
  const ch = await t.channel();
  const { queue } = await ch.assertQueue('', { exclusive: true });
  ch.sendToQueue(queue, Buffer.from('x'), { userId: 'xcheck-someone-else' });
  return t.closeOfChannel(ch);
});

scenario('publish.invalid-expiration', async (t) => {
  const ch = await t.channel();
  const { queue } = await ch.assertQueue('', { exclusive: true });
  ch.sendToQueue(queue, Buffer.from('x'), { expiration: 'soon' });
  return t.closeOfChannel(ch);
});

scenario('publish.huge-declared-body', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'basic.publish', { exchange: '', routingKey: 'xcheck', mandatory: false, immediate: false });
  raw.header(1, 2 ** 40);
  const close = await raw.nextMethod(5000);
  if (close?.kind === 'timeout') return 'no reply within 5 s (waits for the body)';
  return close && { name: close.name, channel: close.channel, code: close.fields.replyCode, textStart: close.fields.replyText?.split(' - ')[0], classId: close.fields.classId, methodId: close.fields.methodId };
});

scenario('publish.properties-round-trip', async (t) => {
  const ch = await t.channel();
  const { queue } = await ch.assertQueue('', { exclusive: true });
  const properties = {
    contentType: 'application/json', contentEncoding: 'gzip',
    headers: { string: 'text', int: 42, negative: -7, big: 2 ** 40, float: 1.5, bool: true, nested: { deeper: { x: 'y' } }, list: [1, 'two'], nothing: null, bytes: Buffer.from([0, 1, 255]) },
    deliveryMode: 2, priority: 3, correlationId: 'corr-1', replyTo: 'reply.queue', expiration: '600000', messageId: 'msg-1',
    timestamp: 1700000000, type: 'order.created', userId: urlParts(t.url).username, appId: 'xcheck',
  };
  ch.sendToQueue(queue, Buffer.from('{}'), properties);
  await settle(ch, queue, 1);
  const message = await ch.get(queue, { noAck: true });
  return { properties: message.properties, same: JSON.stringify(message.properties) === JSON.stringify({ ...properties, clusterId: undefined }) };
});

scenario('publish.large-bodies', async (t) => {
  const ch = await t.channel();
  const { queue } = await ch.assertQueue('', { exclusive: true });
  const result = {};
  for (const size of [1024 * 1024, 5 * 1024 * 1024]) {
    const body = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4) body.writeUInt32BE((i * 2654435761) >>> 0, i);
    ch.sendToQueue(queue, body);
    const received = await new Promise((done) => {
      ch.consume(queue, (m) => ch.cancel(m.fields.consumerTag).then(() => done(m)), { noAck: true });
    });
    const hash = (b) => createHash('sha256').update(b).digest('hex');
    result[size] = hash(received.content) === hash(body);
  }
  return result;
});

// ---- confirms and transactions --------------------------------------------------------

scenario('confirm.many', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection, true);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  const acks = [];
  ch.on('ack', (fields) => acks.push(fields));
  const count = 2000;
  for (let i = 0; i < count; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`));
  await ch.waitForConfirms();
  let covered = 0;
  let inOrder = true;
  for (const { deliveryTag, multiple } of acks) {
    if (deliveryTag <= covered || (!multiple && deliveryTag !== covered + 1)) inOrder = false;
    covered = deliveryTag;
  }
  // Whether some acks carry `multiple` depends on timing, so it is not compared.
  return { coveredUpTo: covered, inOrder, queued: (await ch.checkQueue(queue)).messageCount };
});

scenario('confirm.unroutable', async (t) => {
  const ch = await t.channel(undefined, true);
  return new Promise((done) => ch.publish('amq.fanout', 'x', Buffer.from('nobody'), {}, (error) => done(error ? `nack: ${error.message}` : 'ack')));
});

scenario('confirm.then-tx', async (t) => {
  const ch = await t.channel(undefined, true);
  return t.outcome(ch, () => ch.rpc(defs.TxSelect, {}, defs.TxSelectOk));
});

scenario('tx.then-confirm', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'tx.select', {});
  await raw.expect(1, 'tx.select-ok');
  raw.send(1, 'confirm.select', { nowait: false });
  const reply = await raw.nextMethod();
  return { name: reply.name, code: reply.fields.replyCode, text: reply.fields.replyText };
});

scenario('tx.commit-rollback', async (t) => {
  const raw = await t.raw();
  const queue = t.name();
  raw.send(1, 'queue.declare', { queue, exclusive: true, arguments: {} });
  await raw.expect(1, 'queue.declare-ok');
  raw.send(1, 'tx.select', {});
  await raw.expect(1, 'tx.select-ok');
  const count = async () => {
    raw.send(1, 'queue.declare', { queue, passive: true, arguments: {} });
    return (await raw.expect(1, 'queue.declare-ok')).messageCount;
  };
  raw.publish(1, { routingKey: queue }, Buffer.from('rolled back'));
  const beforeRollback = await count();
  raw.send(1, 'tx.rollback', {});
  await raw.expect(1, 'tx.rollback-ok');
  const afterRollback = await count();
  raw.publish(1, { routingKey: queue }, Buffer.from('committed'));
  raw.send(1, 'tx.commit', {});
  await raw.expect(1, 'tx.commit-ok');
  return { beforeRollback, afterRollback, afterCommit: await count() };
});

scenario('tx.acks-rolled-back', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const queue = await queueWith(t, ch, 'q', ['t1', 't2']);
  const txc = await t.channel(connection);
  await txc.rpc(defs.TxSelect, {}, defs.TxSelectOk);
  const t1 = await txc.get(queue);
  const t2 = await txc.get(queue);
  txc.ack(t2, true);
  await txc.rpc(defs.TxRollback, {}, defs.TxRollbackOk);
  txc.ack(t1);
  await txc.rpc(defs.TxCommit, {}, defs.TxCommitOk);
  const stillOpen = !txc.closedWith;
  await txc.close();
  await settle(ch, queue, 1);
  return { stillOpen, left: await drain(ch, queue) };
});

scenario('tx.publish-to-missing-exchange', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'tx.select', {});
  await raw.expect(1, 'tx.select-ok');
  raw.publish(1, { exchange: 'xcheck-no-such-exchange', routingKey: 'k' }, Buffer.from('x'));
  raw.send(1, 'basic.qos', { prefetchCount: 1 });
  const reply = await raw.nextMethod();
  return { name: reply.name, fields: reply.fields };
});

scenario('tx.commit-without-select', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'tx.commit', {});
  const reply = await raw.nextMethod();
  return { name: reply.name, fields: reply.fields };
});

// ---- channels ---------------------------------------------------------------------

scenario('channel.error-leaves-connection', async (t) => {
  const connection = await t.connect();
  const ch = await t.channel(connection);
  const error = await t.outcome(ch, () => ch.checkQueue('xcheck-missing'));
  const other = await t.channel(connection);
  return { error, otherChannelWorks: await other.checkExchange('amq.direct').then(() => true, () => false) };
});

scenario('channel.flow-pause', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'channel.flow', { active: false });
  const reply = await raw.nextMethod();
  return { name: reply.name, fields: reply.fields };
});

scenario('channel.reopen-same-id', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'channel.open', { outOfBand: '' });
  const reply = await raw.nextMethod();
  return { name: reply.name, code: reply.fields.replyCode, textStart: reply.fields.replyText?.split(' - ')[0] };
});

scenario('channel.content-without-publish', async (t) => {
  const raw = await t.raw();
  raw.header(1, 3);
  const reply = await raw.nextMethod();
  return reply && { name: reply.name, code: reply.fields.replyCode, textStart: reply.fields.replyText?.split(' - ')[0] };
});

scenario('channel.method-during-content', async (t) => {
  const raw = await t.raw();
  raw.send(1, 'basic.publish', { exchange: '', routingKey: 'xcheck', mandatory: false, immediate: false });
  raw.send(1, 'basic.qos', { prefetchCount: 1 });
  const reply = await raw.nextMethod();
  return reply && { name: reply.name, code: reply.fields.replyCode, textStart: reply.fields.replyText?.split(' - ')[0] };
});

module.exports = { scenarios };
