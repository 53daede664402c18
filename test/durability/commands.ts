/**
 * The operations a durability sequence is made of, as fast-check commands: each
 * runs against Warren and the model together, and fails the sequence as soon as
 * the two disagree. Restarts (graceful, or a crash) compare every durable queue.
 */
import fc from 'fast-check';
import type * as amqp from 'amqplib';
import { effectivePriority, Entry, FANOUT, FANOUT_QUEUES, Model, QUEUE_NAMES, QUEUES, reconcile, Recovered, StopKind } from './model';
import { SLOTS, World } from './world';

type Command = fc.AsyncCommand<Model, World>;

async function finish(world: World): Promise<void> {
  await world.settle();
  if (world.model.failures.length > 0) throw new Error(world.model.failures.join('\n'));
}

class Publish implements Command {
  constructor(
    readonly slot: number,
    readonly target: string,
    readonly persistent: boolean,
    readonly priority: number,
    readonly awaitConfirm: boolean,
  ) {}

  check = () => true;

  async run(model: Model, world: World): Promise<void> {
    const id = model.nextId++;
    const queues = this.target === FANOUT ? FANOUT_QUEUES : [this.target];
    const entries: Entry[] = queues.map((queue) => ({
      id, queue, persistent: this.persistent && QUEUES[queue].durable, priority: effectivePriority(queue, this.priority),
      delivered: false, confirmed: false,
    }));
    for (const entry of entries) model.entriesOf(entry.queue).push(entry);
    const channel = await world.channel(this.slot);
    const exchange = this.target === FANOUT ? world.name(FANOUT) : '';
    const routingKey = this.target === FANOUT ? '' : world.name(this.target);
    const epoch = world.epoch;
    const confirmed = new Promise<void>((done) => {
      channel.publish(exchange, routingKey, Buffer.from(`message ${id}`), {
        persistent: this.persistent, priority: this.priority, messageId: String(id),
      }, (error) => {
        // A confirm that never came because the broker went away is not a nack.
        if (epoch !== world.epoch) return done();
        if (error) model.fail(`message ${id} was nacked`);
        else for (const entry of entries) entry.confirmed = true;
        done();
      });
    });
    if (this.awaitConfirm) await confirmed;
    await finish(world);
  }

  toString = () => `publish(slot ${this.slot}, ${this.target}, ${this.persistent ? 'persistent' : 'transient'}, p${this.priority}${this.awaitConfirm ? ', confirmed' : ''})`;
}

class Consume implements Command {
  constructor(readonly slot: number, readonly queue: string) {}

  check = (_model: Model) => true;

  async run(_model: Model, world: World): Promise<void> {
    if (world.slots[this.slot].consumer) return finish(world);
    await world.consume(this.slot, this.queue);
    await finish(world);
  }

  toString = () => `consume(slot ${this.slot}, ${this.queue})`;
}

class Cancel implements Command {
  constructor(readonly slot: number) {}

  check = () => true;

  async run(_model: Model, world: World): Promise<void> {
    const state = world.slots[this.slot];
    if (!state.consumer || !state.channel) return finish(world);
    const tag = state.consumer.tag;
    state.consumer = undefined;
    await state.channel.cancel(tag);
    await finish(world);
  }

  toString = () => `cancel(slot ${this.slot})`;
}

type Settlement = 'ack' | 'nack-requeue' | 'nack-drop' | 'reject-requeue' | 'reject-drop';

class Settle implements Command {
  constructor(readonly slot: number, readonly pick: number, readonly how: Settlement, readonly multiple: boolean) {}

  check = () => true;

  async run(model: Model, world: World): Promise<void> {
    const state = world.slots[this.slot];
    if (!state.channel || state.unacked.length === 0) return finish(world);
    const index = this.pick % state.unacked.length;
    const target = state.unacked[index];
    const multiple = this.multiple && !this.how.startsWith('reject');
    const settled = multiple ? state.unacked.filter((d) => d.deliveryTag <= target.deliveryTag) : [target];
    state.unacked = state.unacked.filter((d) => !settled.includes(d));
    const requeue = this.how.endsWith('requeue');
    if (this.how === 'ack') state.channel.ack(target.message, multiple);
    else if (this.how.startsWith('nack')) state.channel.nack(target.message, multiple, requeue);
    else state.channel.reject(target.message, requeue);
    for (const delivery of settled) {
      const entry = model.find(delivery.queue, delivery.id);
      // Its queue may have been deleted meanwhile: then there is nothing left to settle.
      if (!entry || entry.holder?.slot !== this.slot || entry.holder.deliveryTag !== delivery.deliveryTag) continue;
      if (requeue) model.returnToQueue(entry);
      else model.settle(entry);
    }
    await finish(world);
  }

  toString = () => `${this.how}${this.multiple ? ' multiple' : ''}(slot ${this.slot}, #${this.pick})`;
}

class Get implements Command {
  constructor(readonly slot: number, readonly queue: string, readonly noAck: boolean) {}

  check = () => true;

  async run(model: Model, world: World): Promise<void> {
    const channel = await world.channel(this.slot);
    const head = model.ready(this.queue)[0];
    const got = await channel.get(world.name(this.queue), { noAck: this.noAck });
    if (!got) {
      if (head) model.fail(`get from ${this.queue} found it empty, expected message ${head.id}`);
      return finish(world);
    }
    const id = Number(got.properties.messageId);
    if (id !== head?.id) model.fail(`get from ${this.queue} returned message ${id}, expected ${head?.id ?? 'nothing'}`);
    const delivery = world.received(this.slot, this.queue, got);
    if (this.noAck) {
      world.slots[this.slot].unacked.pop();
      const entry = model.find(this.queue, delivery.id);
      if (entry) model.settle(entry);
    }
    await finish(world);
  }

  toString = () => `get(slot ${this.slot}, ${this.queue}${this.noAck ? ', no-ack' : ''})`;
}

class Purge implements Command {
  constructor(readonly slot: number, readonly queue: string) {}

  check = () => true;

  async run(model: Model, world: World): Promise<void> {
    const channel = await world.channel(this.slot);
    const ready = model.ready(this.queue);
    const { messageCount } = await channel.purgeQueue(world.name(this.queue));
    if (messageCount !== ready.length) model.fail(`purge of ${this.queue} removed ${messageCount}, expected ${ready.length}`);
    for (const entry of ready) model.remove(entry);
    await finish(world);
  }

  toString = () => `purge(slot ${this.slot}, ${this.queue})`;
}

class DeleteAndRedeclare implements Command {
  constructor(readonly slot: number, readonly queue: string) {}

  check = () => true;

  async run(model: Model, world: World): Promise<void> {
    const channel = await world.channel(this.slot);
    await channel.deleteQueue(world.name(this.queue));
    for (const entry of [...model.entriesOf(this.queue)]) model.remove(entry);
    model.ghosts.delete(this.queue);
    for (const state of world.slots) if (state.consumer?.queue === this.queue) state.consumer = undefined;
    await world.declareQueue(this.queue);
    await finish(world);
  }

  toString = () => `delete and redeclare(${this.queue})`;
}

class CloseChannel implements Command {
  constructor(readonly slot: number) {}

  check = () => true;

  async run(_model: Model, world: World): Promise<void> {
    await world.closeChannel(this.slot);
    await finish(world);
  }

  toString = () => `close channel(slot ${this.slot})`;
}

class CloseConnection implements Command {
  constructor(readonly connection: number) {}

  check = () => true;

  async run(_model: Model, world: World): Promise<void> {
    await world.closeConnection(this.connection);
    await finish(world);
  }

  toString = () => `close connection(${this.connection})`;
}

export class Restart implements Command {
  constructor(readonly kind: StopKind) {}

  check = () => true;

  async run(model: Model, world: World): Promise<void> {
    world.expectDisconnect();
    if (this.kind === 'graceful') await world.broker.restart();
    else await world.broker.crashAndStart();
    world.forgetClients();
    await verifyRecovery(model, world, this.kind);
  }

  toString = () => (this.kind === 'graceful' ? 'restart' : 'kill -9 and start');
}

/**
 * After a restart: every durable queue is read whole with basic.get and compared
 * with the model, then everything is put back (nack, requeue) so the sequence goes
 * on; the model adopts what came back, now marked delivered.
 */
async function verifyRecovery(model: Model, world: World, kind: StopKind): Promise<void> {
  const problems: string[] = [];
  const channel = await world.channel(0);
  for (const queue of QUEUE_NAMES) {
    if (!QUEUES[queue].durable) {
      for (const entry of [...model.entriesOf(queue)]) model.remove(entry);
      await world.declareQueue(queue);
      continue;
    }
    const recovered: Recovered[] = [];
    const taken: amqp.Message[] = [];
    for (let got = await channel.get(world.name(queue)); got; got = await channel.get(world.name(queue))) {
      taken.push(got);
      recovered.push({ id: Number(got.properties.messageId), priority: effectivePriority(queue, got.properties.priority ?? 0), redelivered: got.fields.redelivered });
    }
    const result = reconcile(model, queue, recovered, kind);
    problems.push(...result.problems);
    // Every message just went out with basic.get: it comes back redelivered from now on.
    model.queues.set(queue, result.adopted.map((entry) => ({ ...entry, delivered: true })));
    if (taken.length > 0) channel.nack(taken[taken.length - 1], true, true);
  }
  model.ghosts = new Map();
  await world.settle();
  if (problems.length > 0) throw new Error(`after ${kind === 'graceful' ? 'a graceful restart' : 'kill -9'}:\n${problems.join('\n')}`);
  if (model.failures.length > 0) throw new Error(model.failures.join('\n'));
}

const slot = fc.integer({ min: 0, max: SLOTS - 1 });
/** Skewed towards one queue, so that operations meet on the same messages often. */
const queue = fc.oneof(
  { weight: 4, arbitrary: fc.constant('d0') },
  { weight: 2, arbitrary: fc.constant('d1') },
  { weight: 1, arbitrary: fc.constant('d2') },
  { weight: 1, arbitrary: fc.constant('t0') },
);
const publishTarget = fc.oneof({ weight: 8, arbitrary: queue }, { weight: 1, arbitrary: fc.constant(FANOUT) });

export function durabilityCommands(options: { restarts: boolean; crashes: boolean }): fc.Arbitrary<Iterable<Command>> {
  const stops: fc.Arbitrary<Command>[] = [];
  if (options.restarts) stops.push(fc.constant(new Restart('graceful')));
  if (options.crashes) stops.push(fc.constant(new Restart('crash')));
  return fc.commands([
    ...Array<fc.Arbitrary<Command>>(4).fill(fc.tuple(slot, publishTarget, fc.boolean(), fc.integer({ min: 0, max: 7 }), fc.boolean())
      .map(([s, target, persistent, priority, awaitConfirm]) => new Publish(s, target, persistent, priority, awaitConfirm))),
    ...Array<fc.Arbitrary<Command>>(2).fill(fc.tuple(slot, queue).map(([s, q]) => new Consume(s, q))),
    slot.map((s) => new Cancel(s)),
    ...Array<fc.Arbitrary<Command>>(2).fill(fc.tuple(slot, fc.nat(), fc.constantFrom<Settlement>('ack', 'nack-requeue', 'nack-drop', 'reject-requeue', 'reject-drop'), fc.boolean())
      .map(([s, pick, how, multiple]) => new Settle(s, pick, how, multiple))),
    fc.tuple(slot, queue, fc.boolean()).map(([s, q, noAck]) => new Get(s, q, noAck)),
    fc.tuple(slot, queue).map(([s, q]) => new Purge(s, q)),
    fc.tuple(slot, queue).map(([s, q]) => new DeleteAndRedeclare(s, q)),
    slot.map((s) => new CloseChannel(s)),
    fc.integer({ min: 0, max: 1 }).map((c) => new CloseConnection(c)),
    ...stops,
  ], { maxCommands: 30 });
}
