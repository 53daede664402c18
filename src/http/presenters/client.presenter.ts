/** Connections and channels as RabbitMQ's /api/connections and /api/channels show them. */
import type { ClientChannel, ClientConnection } from '../../broker/clients/live-clients';
import { channelName } from '../../broker/clients/live-clients';
import type { Statistics } from '../../broker/stats/statistics';
import { JsonValue, toJsonTable } from './json-value';
import { channelMessageStats, isoTime, MessageStats, Rate, rateOf } from './message-stats';
import { NODE_NAME } from './node';

export interface ConnectionView {
  name: string;
  node: string;
  type: 'network';
  user: string;
  user_who_performed_action: string;
  vhost: string;
  protocol: string;
  auth_mechanism: string;
  host: string;
  port: number;
  peer_host: string;
  peer_port: number;
  ssl: boolean;
  peer_cert_subject: null;
  peer_cert_issuer: null;
  peer_cert_validity: null;
  ssl_protocol: null;
  ssl_key_exchange: null;
  ssl_cipher: null;
  ssl_hash: null;
  state: string;
  connected_at: number;
  client_properties: { [key: string]: JsonValue };
  user_provided_name?: string;
  channels: number;
  channel_max: number;
  frame_max: number;
  timeout: number;
  recv_oct: number;
  recv_oct_details: Rate;
  recv_cnt: number;
  send_oct: number;
  send_oct_details: Rate;
  send_cnt: number;
  send_pend: number;
}

export function presentConnection(connection: ClientConnection, statistics: Statistics): ConnectionView {
  const { details, traffic } = connection;
  const rates = statistics.connection(connection);
  const clientProperties = toJsonTable(details.clientProperties);
  const view: ConnectionView = {
    name: connection.name,
    node: NODE_NAME,
    type: 'network',
    user: connection.user,
    user_who_performed_action: connection.user,
    vhost: connection.vhost,
    protocol: details.protocol,
    auth_mechanism: details.authMechanism,
    host: details.host,
    port: details.port,
    peer_host: details.peerHost,
    peer_port: details.peerPort,
    ssl: details.tls,
    peer_cert_subject: null,
    peer_cert_issuer: null,
    peer_cert_validity: null,
    ssl_protocol: null,
    ssl_key_exchange: null,
    ssl_cipher: null,
    ssl_hash: null,
    state: connection.state,
    connected_at: details.connectedAt,
    client_properties: clientProperties,
    channels: count(connection.channels()),
    channel_max: details.channelMax,
    frame_max: details.frameMax,
    timeout: details.heartbeat,
    recv_oct: traffic.recvOct,
    recv_oct_details: rateOf(rates.rate('recvOct')),
    recv_cnt: traffic.recvCnt,
    send_oct: traffic.sendOct,
    send_oct_details: rateOf(rates.rate('sendOct')),
    send_cnt: traffic.sendCnt,
    send_pend: 0,
  };
  if (typeof clientProperties.connection_name === 'string') view.user_provided_name = clientProperties.connection_name;
  return view;
}

export interface ChannelView {
  name: string;
  number: number;
  node: string;
  connection_details: { name: string; peer_host: string; peer_port: number };
  user: string;
  user_who_performed_action: string;
  vhost: string;
  state: string;
  consumer_count: number;
  prefetch_count: number;
  global_prefetch_count: number;
  messages_unacknowledged: number;
  messages_unconfirmed: number;
  messages_uncommitted: number;
  acks_uncommitted: number;
  confirm: boolean;
  transactional: boolean;
  idle_since?: string;
  message_stats: MessageStats;
}

export function presentChannel(channel: ClientChannel, statistics: Statistics): ChannelView {
  const { connection } = channel;
  const rates = statistics.channel(channel);
  const view: ChannelView = {
    name: channelName(channel),
    number: channel.number,
    node: NODE_NAME,
    connection_details: { name: connection.name, peer_host: connection.details.peerHost, peer_port: connection.details.peerPort },
    user: connection.user,
    user_who_performed_action: connection.user,
    vhost: connection.vhost,
    state: channel.state,
    consumer_count: count(channel.consumers()),
    prefetch_count: channel.prefetchCount,
    global_prefetch_count: channel.globalPrefetchCount,
    messages_unacknowledged: channel.messagesUnacknowledged,
    messages_unconfirmed: channel.messagesUnconfirmed,
    messages_uncommitted: channel.messagesUncommitted,
    acks_uncommitted: channel.acksUncommitted,
    confirm: channel.confirm,
    transactional: channel.transactional,
    message_stats: channelMessageStats(channel.stats, rates),
  };
  if (rates.idleSince !== undefined) view.idle_since = isoTime(rates.idleSince);
  return view;
}

function count(items: Iterable<unknown>): number {
  let n = 0;
  for (const _ of items) n++;
  return n;
}
