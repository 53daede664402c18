/**
 * The live clients of the broker: connections once they are open, with their
 * channels and consumers, and the message counts of channels that have closed,
 * so that a vhost's and the node's totals keep growing as clients come and go.
 * Edges register here; the admin API, the statistics and the metrics read here.
 */
import { notFound } from '../errors';
import { addCounters, ChannelCounters } from '../stats/counters';
import { channelName, ClientChannel, ClientConnection, ClientConsumer } from './live-clients';

export type ClientEvent =
  | { kind: 'opened'; connection: ClientConnection }
  | { kind: 'closed'; connection: ClientConnection; reason: string };

export interface ChurnCounts {
  connectionsOpened: number;
  connectionsClosed: number;
  channelsOpened: number;
  channelsClosed: number;
}

export class ClientRegistry {
  private readonly byName = new Map<string, ClientConnection>();
  private readonly byId = new Map<string, ClientConnection>();
  private readonly retiredByVhost = new Map<string, ChannelCounters>();
  private readonly retired = new ChannelCounters();
  private readonly listeners = new Set<(event: ClientEvent) => void>();
  readonly churn: ChurnCounts = { connectionsOpened: 0, connectionsClosed: 0, channelsOpened: 0, channelsClosed: 0 };

  // ---- called by edges -----------------------------------------------------

  /** A connection finished its handshake and is open on a vhost. */
  opened(connection: ClientConnection): void {
    this.byName.set(connection.name, connection);
    this.byId.set(connection.id, connection);
    this.churn.connectionsOpened++;
    this.emit({ kind: 'opened', connection });
  }

  /** The connection is gone or going; its channels must have been reported closed first. */
  closed(connection: ClientConnection, reason: string): void {
    if (this.byName.get(connection.name) !== connection) return;
    this.byName.delete(connection.name);
    this.byId.delete(connection.id);
    this.churn.connectionsClosed++;
    this.emit({ kind: 'closed', connection, reason });
  }

  channelOpened(): void {
    this.churn.channelsOpened++;
  }

  /** A channel closed: its counts move into its vhost's totals. */
  channelClosed(channel: ClientChannel): void {
    this.churn.channelsClosed++;
    addCounters(this.retired, channel.stats);
    const vhost = channel.connection.vhost;
    let totals = this.retiredByVhost.get(vhost);
    if (!totals) this.retiredByVhost.set(vhost, (totals = new ChannelCounters()));
    addCounters(totals, channel.stats);
  }

  onEvent(listener: (event: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- read by the admin API, statistics and metrics ------------------------

  /** Open connections, in every vhost or in one. */
  connections(vhost?: string): ClientConnection[] {
    const all = [...this.byName.values()];
    return vhost === undefined ? all : all.filter((connection) => connection.vhost === vhost);
  }

  /** The connection with this internal id (the owner of exclusive queues), if it is open. */
  connectionById(id: string): ClientConnection | undefined {
    return this.byId.get(id);
  }

  connection(name: string): ClientConnection {
    const connection = this.byName.get(name);
    if (!connection) throw notFound(`no connection '${name}'`);
    return connection;
  }

  channels(vhost?: string): ClientChannel[] {
    return this.connections(vhost).flatMap((connection) => [...connection.channels()]);
  }

  /** By RabbitMQ's channel name, "<connection name> (<number>)". */
  channel(name: string): ClientChannel {
    const match = /^(.*) \((\d+)\)$/.exec(name);
    const connection = match ? this.byName.get(match[1]) : undefined;
    for (const channel of connection?.channels() ?? []) if (channelName(channel) === name) return channel;
    throw notFound(`no channel '${name}'`);
  }

  consumers(vhost?: string): ClientConsumer[] {
    return this.channels(vhost).flatMap((channel) => [...channel.consumers()]);
  }

  get connectionCount(): number {
    return this.byName.size;
  }

  /** Counts of every channel ever opened, in a vhost or on the whole node: closed ones plus open ones. */
  totals(vhost?: string): ChannelCounters {
    const totals = new ChannelCounters();
    const retired = vhost === undefined ? this.retired : this.retiredByVhost.get(vhost);
    if (retired) addCounters(totals, retired);
    for (const channel of this.channels(vhost)) addCounters(totals, channel.stats);
    return totals;
  }

  private emit(event: ClientEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** One log line per connection opened or closed: who, from where, to which vhost, and why it ended. */
export function describeClientEvent(event: ClientEvent): string {
  const { connection } = event;
  const provided = connection.details.clientProperties.connection_name;
  const client = typeof provided === 'string' ? `, client '${provided}'` : '';
  const who = `${connection.name}, user '${connection.user}', vhost '${connection.vhost}'${client}`;
  return event.kind === 'opened' ? `connection opened: ${who}` : `connection closed: ${who}: ${event.reason}`;
}
