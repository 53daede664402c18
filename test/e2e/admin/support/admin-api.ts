/**
 * The admin API of a Warren started by useWarren(): supertest requests with
 * guest's credentials against its HTTP server, and the name the broker gives an
 * amqplib connection (found from the client's own socket address).
 */
import type * as amqp from 'amqplib';
import request from 'supertest';
import type { RunningWarren } from '../../../support/warren-app';

export function adminApi(warren: RunningWarren) {
  const server = () => warren.app.getHttpServer();
  return {
    get: (path: string) => request(server()).get(path).auth('guest', 'guest'),
    delete: (path: string) => request(server()).delete(path).auth('guest', 'guest'),
    put: (path: string) => request(server()).put(path).auth('guest', 'guest'),
    post: (path: string) => request(server()).post(path).auth('guest', 'guest'),
  };
}

/** The client's local port: the peer_port the broker sees. */
export function localPortOf(connection: amqp.ChannelModel): number {
  const stream = (connection.connection as unknown as { stream: { localPort: number } }).stream;
  return stream.localPort;
}

/** RabbitMQ's name for the connection, as Warren should give it. */
export function nameOf(connection: amqp.ChannelModel, warren: RunningWarren): string {
  return `127.0.0.1:${localPortOf(connection)} -> 127.0.0.1:${warren.amqpPort}`;
}

export const encoded = (name: string) => encodeURIComponent(name);
