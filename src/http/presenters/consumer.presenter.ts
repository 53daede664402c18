/** A consumer as RabbitMQ's /api/consumers and a queue's consumer_details show it. */
import type { ClientConsumer } from '../../broker/clients/live-clients';
import { channelName } from '../../broker/clients/live-clients';
import { JsonValue, toJsonTable } from './json-value';
import { NODE_NAME } from './node';

export interface ChannelDetails {
  name: string;
  number: number;
  user: string;
  connection_name: string;
  peer_host: string;
  peer_port: number;
  node: string;
}

export interface ConsumerView {
  consumer_tag: string;
  queue: { name: string; vhost: string };
  channel_details: ChannelDetails;
  ack_required: boolean;
  exclusive: boolean;
  prefetch_count: number;
  active: boolean;
  /** RabbitMQ 3.10's values: up, or waiting for a single-active-consumer turn (which Warren does not have). */
  activity_status: 'up' | 'waiting';
  arguments: { [key: string]: JsonValue };
}

export function presentConsumer(consumer: ClientConsumer): ConsumerView {
  const { channel } = consumer;
  const { connection } = channel;
  return {
    consumer_tag: consumer.tag,
    queue: { name: consumer.queue.name, vhost: consumer.queue.vhost },
    channel_details: {
      name: channelName(channel),
      number: channel.number,
      user: connection.user,
      connection_name: connection.name,
      peer_host: connection.details.peerHost,
      peer_port: connection.details.peerPort,
      node: NODE_NAME,
    },
    ack_required: consumer.ackRequired,
    exclusive: consumer.exclusive,
    prefetch_count: consumer.prefetchCount,
    active: consumer.active,
    activity_status: consumer.active ? 'up' : 'waiting',
    arguments: toJsonTable(consumer.arguments),
  };
}
