/**
 * The Prometheus listener on PROMETHEUS_PORT (15692 by default, as
 * rabbitmq_prometheus; 0 picks a free port): GET /metrics, /metrics/per-object
 * and /metrics/detailed, without authentication, as RabbitMQ serves them.
 */
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { WarrenConfig } from '../../config/warren-config';
import { NodeListeners } from '../../node/node-listeners';
import { Endpoint, PrometheusExporter } from './prometheus-exporter';

const PATHS: Record<string, Endpoint> = { '/metrics': 'aggregated', '/metrics/per-object': 'per-object', '/metrics/detailed': 'detailed' };

@Injectable()
export class PrometheusEndpoint implements OnModuleDestroy {
  private readonly logger = new Logger('Prometheus');
  private server?: Server;

  constructor(private readonly exporter: PrometheusExporter, private readonly config: WarrenConfig, private readonly listeners: NodeListeners) {}

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  listen(): Promise<number> {
    const server = createServer((request, response) => void this.answer(request, response));
    this.server = server;
    return new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(this.config.PROMETHEUS_PORT, this.config.BIND_ADDRESS, () => {
        server.off('error', fail);
        const { address, port } = server.address() as AddressInfo;
        this.listeners.add({ protocol: 'http/prometheus', ipAddress: address, port });
        this.logger.log(`Prometheus metrics on ${address.includes(':') ? `[${address}]` : address}:${port}/metrics`);
        done(port);
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    this.listeners.remove('http/prometheus');
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const endpoint = PATHS[url.pathname.replace(/\/+$/, '') || '/'];
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, 'text/plain', 'only GET\n');
    if (!endpoint) return reply(response, 404, 'text/plain', 'not found: try /metrics, /metrics/per-object or /metrics/detailed\n');
    try {
      const text = await this.exporter.render(endpoint, { families: url.searchParams.getAll('family'), vhosts: url.searchParams.getAll('vhost') });
      reply(response, 200, this.exporter.contentType, request.method === 'HEAD' ? '' : text);
    } catch (error) {
      this.logger.error(`scrape failed: ${(error as Error).stack ?? String(error)}`);
      reply(response, 500, 'text/plain', 'scrape failed\n');
    }
  }
}

function reply(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(body);
}
