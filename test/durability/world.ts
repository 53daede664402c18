/**
 * The real side of a durability run: the broker, two client connections with two
 * channels each ("slots"), the consumers on them, and the deliveries they hold.
 * Deliveries are checked against the model the moment they arrive.
 *
 * After every command, `settle()` does a round trip on every open channel: AMQP
 * keeps a connection's frames in order, so once each answer is back, Warren has
 * handled everything sent before it and every delivery it caused has arrived.
 */
import * as amqp from 'amqplib';
import type { BrokerUnderTest } from './brokers';
import { effectivePriority, FANOUT, FANOUT_QUEUES, Model, QUEUE_NAMES, QUEUES } from './model';

export const SLOTS = 4;
const SLOTS_PER_CONNECTION = 2;
export const CONSUMER_PREFETCH = 2;

export interface Delivery {
  deliveryTag: number;
  id: number;
  queue: string;
  message: amqp.Message;
}

interface Slot {
  channel?: amqp.ConfirmChannel;
  consumer?: { queue: string; tag: string };
  /** Deliveries not yet acked, nacked or rejected, in tag order. */
  unacked: Delivery[];
}

export class World {
  private readonly connections: (amqp.ChannelModel | undefined)[] = [undefined, undefined];
  readonly slots: Slot[] = Array.from({ length: SLOTS }, () => ({ unacked: [] }));
  /** Bumped when the broker goes away: callbacks of an earlier epoch are about a dead connection. */
  epoch = 0;

  constructor(readonly broker: BrokerUnderTest, readonly prefix: string, readonly model: Model) {}

  name(queue: string): string {
    return `${this.prefix}.${queue}`;
  }

  /** The queue's short name from a full one. */
  shortName(queue: string): string {
    return queue.slice(this.prefix.length + 1);
  }

  async declareTopology(): Promise<void> {
    const channel = await this.channel(0);
    await channel.assertExchange(this.name(FANOUT), 'fanout', { durable: true });
    for (const queue of QUEUE_NAMES) await this.declareQueue(queue);
  }

  async declareQueue(queue: string): Promise<void> {
    const channel = await this.channel(0);
    const spec = QUEUES[queue];
    await channel.assertQueue(this.name(queue), { durable: spec.durable, arguments: spec.maxPriority ? { 'x-max-priority': spec.maxPriority } : {} });
    if (FANOUT_QUEUES.includes(queue)) await channel.bindQueue(this.name(queue), this.name(FANOUT), '');
  }

  async channel(slot: number): Promise<amqp.ConfirmChannel> {
    const state = this.slots[slot];
    if (state.channel) return state.channel;
    const connection = await this.connection(Math.floor(slot / SLOTS_PER_CONNECTION));
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => this.model.fail(`slot ${slot}: channel error ${error.message}`));
    channel.on('close', () => {
      if (state.channel === channel) this.forgetSlot(slot);
    });
    state.channel = channel;
    return channel;
  }

  async consume(slot: number, queue: string): Promise<void> {
    const channel = await this.channel(slot);
    await channel.prefetch(CONSUMER_PREFETCH);
    const state = this.slots[slot];
    const { consumerTag } = await channel.consume(this.name(queue), (message) => {
      if (message === null) {
        state.consumer = undefined;
        return;
      }
      this.received(slot, queue, message);
    });
    state.consumer = { queue, tag: consumerTag };
  }

  /** A delivery or a get-ok: it must be an entry the model has ready there, with the right redelivered flag. */
  received(slot: number, queue: string, message: amqp.Message): Delivery {
    const id = Number(message.properties.messageId);
    const entry = this.model.find(queue, id);
    const delivery = { deliveryTag: message.fields.deliveryTag, id, queue, message };
    if (!entry) this.model.fail(`slot ${slot}: got message ${id} from ${queue}, which the model does not have there`);
    else if (entry.holder) this.model.fail(`slot ${slot}: got message ${id} from ${queue}, which slot ${entry.holder.slot} still holds`);
    else {
      if (message.fields.redelivered !== entry.delivered) {
        this.model.fail(`slot ${slot}: message ${id} from ${queue} had redelivered=${message.fields.redelivered}, expected ${entry.delivered}`);
      }
      if (effectivePriority(queue, message.properties.priority ?? 0) !== entry.priority) this.model.fail(`message ${id}: priority changed`);
      entry.delivered = true;
      entry.holder = { slot, deliveryTag: delivery.deliveryTag };
    }
    this.slots[slot].unacked.push(delivery);
    return delivery;
  }

  /** Waits until Warren has handled everything sent so far, and its deliveries have arrived. */
  async settle(): Promise<void> {
    await Promise.all(this.slots.map(async (slot, index) => {
      const channel = slot.channel;
      if (!channel) return;
      try {
        await channel.checkExchange('amq.direct');
      } catch (error) {
        this.model.fail(`slot ${index}: round trip failed: ${(error as Error).message}`);
      }
    }));
  }

  async closeChannel(slot: number): Promise<void> {
    const channel = this.slots[slot].channel;
    if (!channel) return;
    this.forgetSlot(slot);
    await channel.close();
  }

  async closeConnection(index: number): Promise<void> {
    const connection = this.connections[index];
    if (!connection) return;
    this.connections[index] = undefined;
    for (let slot = index * SLOTS_PER_CONNECTION; slot < (index + 1) * SLOTS_PER_CONNECTION; slot++) this.forgetSlot(slot);
    await connection.close();
  }

  /** The broker is about to go away: errors and closes from its connections are expected now. */
  expectDisconnect(): void {
    this.epoch++;
    for (const connection of this.connections) {
      connection?.removeAllListeners('error');
      connection?.on('error', () => undefined);
    }
    for (const slot of this.slots) {
      slot.channel?.removeAllListeners('error');
      slot.channel?.on('error', () => undefined);
    }
  }

  /** Client state after the broker went away: no connection, channel, consumer or delivery survives. */
  forgetClients(): void {
    for (const [index, connection] of this.connections.entries()) {
      connection?.removeAllListeners();
      connection?.on('error', () => undefined);
      this.connections[index] = undefined;
    }
    for (let slot = 0; slot < SLOTS; slot++) this.forgetSlot(slot);
  }

  async closeAll(): Promise<void> {
    for (let index = 0; index < this.connections.length; index++) await this.closeConnection(index).catch(() => undefined);
  }

  /** A slot's channel is gone: what it held went back to its queues (when the broker saw it go). */
  private forgetSlot(slot: number): void {
    const state = this.slots[slot];
    for (const entry of this.model.heldBy(slot)) this.model.returnToQueue(entry);
    state.channel?.removeAllListeners('close');
    state.channel = undefined;
    state.consumer = undefined;
    state.unacked = [];
  }

  private async connection(index: number): Promise<amqp.ChannelModel> {
    const existing = this.connections[index];
    if (existing) return existing;
    const connection = await amqp.connect(this.broker.amqpUrl);
    connection.on('error', () => undefined);
    this.connections[index] = connection;
    return connection;
  }
}
