/**
 * What the broker sees of the clients connected to it, whatever protocol edge
 * serves them. The AMQP edge implements these interfaces on its connections,
 * channels and consumers, and registers them with the ClientRegistry; the admin
 * API and the metrics read them from there and never import the edge.
 */
import type { Queue } from '../queue/queue';
import type { ChannelCounters, TrafficCounters } from '../stats/counters';

/** Where a connection comes from and what it agreed with the broker; fixed once it is open. */
export interface ConnectionDetails {
  peerHost: string;
  peerPort: number;
  /** The broker's own address and port for this connection. */
  host: string;
  port: number;
  /** When the TCP connection was accepted, ms since the epoch. */
  connectedAt: number;
  protocol: string;
  authMechanism: string;
  /** The client's properties from connection.start-ok, as plain JSON-able values. */
  clientProperties: Record<string, unknown>;
  frameMax: number;
  channelMax: number;
  /** Negotiated heartbeat in seconds (0: none). */
  heartbeat: number;
  tls: boolean;
}

/** RabbitMQ's connection states: blocking = alarm raised but not publishing yet; blocked = publishing and held. */
export type ConnectionState = 'running' | 'blocking' | 'blocked' | 'closing' | 'closed';

export interface ClientConnection {
  /** Internal identity; the owner of the connection's exclusive queues. */
  readonly id: string;
  /** RabbitMQ's name for it: "peer:port -> host:port". */
  readonly name: string;
  readonly user: string;
  readonly vhost: string;
  readonly details: ConnectionDetails;
  readonly state: ConnectionState;
  readonly traffic: TrafficCounters;
  channels(): Iterable<ClientChannel>;
  /** Closes the connection from the broker's side; clients see 320 CONNECTION_FORCED with `reason`. */
  close(reason: string): void;
}

export type ChannelState = 'running' | 'closing';

export interface ClientChannel {
  readonly number: number;
  readonly connection: ClientConnection;
  readonly state: ChannelState;
  /** Per-consumer prefetch for new consumers (basic.qos global=false); 0: none. */
  readonly prefetchCount: number;
  /** Channel-wide prefetch (basic.qos global=true); 0: none. */
  readonly globalPrefetchCount: number;
  readonly messagesUnacknowledged: number;
  readonly messagesUnconfirmed: number;
  readonly messagesUncommitted: number;
  readonly acksUncommitted: number;
  readonly confirm: boolean;
  readonly transactional: boolean;
  readonly stats: ChannelCounters;
  consumers(): Iterable<ClientConsumer>;
}

export interface ClientConsumer {
  readonly tag: string;
  readonly queue: Queue;
  readonly channel: ClientChannel;
  readonly ackRequired: boolean;
  readonly exclusive: boolean;
  /** The per-consumer prefetch it subscribed with; 0: none. */
  readonly prefetchCount: number;
  readonly active: boolean;
  readonly arguments: Record<string, unknown>;
}

/** "127.0.0.1:5555 -> 127.0.0.1:5672", with IPv6 addresses in brackets, as RabbitMQ names connections. */
export function connectionName(details: Pick<ConnectionDetails, 'peerHost' | 'peerPort' | 'host' | 'port'>): string {
  return `${hostPort(details.peerHost, details.peerPort)} -> ${hostPort(details.host, details.port)}`;
}

/** "<connection name> (<channel number>)", as RabbitMQ names channels. */
export function channelName(channel: ClientChannel): string {
  return `${channel.connection.name} (${channel.number})`;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
