/**
 * What the HTTP API needs from the application before it listens; main.ts calls
 * this once after creating the app. The JSON body limit is RabbitMQ's (20 MB)
 * rather than body-parser's 100 kB, which a definitions file of a few hundred
 * queues, or a publish of a modest message, already exceeds. No ETags: hashing
 * each large listing would cost more than it saves. Once the server
 * listens, its address joins the node's listeners (/api/overview shows them).
 */
import { INestApplication, Logger } from '@nestjs/common';
import type { AddressInfo, Server } from 'net';
import { NodeListeners } from '../node/node-listeners';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { setupApiDocs } from './api-docs';

export const HTTP_BODY_LIMIT_BYTES = 20_000_000;

export function setupHttpApi(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: HTTP_BODY_LIMIT_BYTES });
  // An ETag means hashing every response body: 10,000 queues are 10 MB of JSON. RabbitMQ sends none.
  express.set('etag', false);
  express.disable('x-powered-by');
  setupApiDocs(app);
  const server = app.getHttpServer() as Server;
  server.once('listening', () => {
    const { address, port } = server.address() as AddressInfo;
    app.get(NodeListeners).add({ protocol: 'http', ipAddress: address, port });
    new Logger('HttpApi').log(`HTTP API listening on ${address.includes(':') ? `[${address}]` : address}:${port}`);
  });
}
