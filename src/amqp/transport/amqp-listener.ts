/**
 * The TCP listener on AMQP_PORT: the only place that owns the server socket.
 * It tracks open sockets so that shutdown can stop accepting and close them.
 */
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AddressInfo, createServer, Server, Socket } from 'net';
import { WarrenConfig } from '../../config/warren-config';
import { HealthRegistry } from '../../health/health-registry';
import { NodeListeners } from '../../node/node-listeners';
import { PROTOCOL_HEADER } from '../codec';
import { LOST_SYNC_CLOSE_MS } from '../protocol/closing-timeout';

export type ConnectionHandler = (socket: Socket) => void;

@Injectable()
export class AmqpListener implements OnModuleDestroy {
  private readonly logger = new Logger('AmqpListener');
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private handler: ConnectionHandler = refuseUntilReady;

  constructor(private readonly config: WarrenConfig, health: HealthRegistry, private readonly listeners: NodeListeners) {
    health.register('amqp_listener', async () => (this.server?.listening ? null : 'AMQP listener is not accepting connections'));
  }

  /** The protocol layer plugs in here; the listener itself knows nothing of AMQP beyond the header. */
  handleConnectionsWith(handler: ConnectionHandler): void {
    this.handler = handler;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  listen(): Promise<number> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    return new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(this.config.AMQP_PORT, this.config.BIND_ADDRESS, () => {
        server.off('error', fail);
        server.on('error', (error) => this.logger.error(`listener error: ${error.message}`));
        this.logger.log(`AMQP listening on ${this.config.BIND_ADDRESS ?? '0.0.0.0'}:${this.port}`);
        this.listeners.add({ protocol: 'amqp', ipAddress: (server.address() as AddressInfo).address, port: this.port });
        done(this.port);
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((done) => server.close(() => done()));
    for (const socket of this.sockets) socket.end();
    const forced = setTimeout(() => this.sockets.forEach((socket) => socket.destroy()), 2000);
    await closed;
    clearTimeout(forced);
    this.logger.log('AMQP listener closed');
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    this.handler(socket);
  }
}

/** Before the protocol layer is attached, answer like a broker that speaks a different version. */
function refuseUntilReady(socket: Socket): void {
  socket.end(PROTOCOL_HEADER);
  // A peer that never closes its side must not leave the socket half-closed.
  setTimeout(() => socket.destroy(), LOST_SYNC_CLOSE_MS).unref();
}
