/**
 * What the HTTP API needs from the application before it listens; main.ts (and
 * the tests' app) call this once after creating the app:
 * - the JSON body limit is RabbitMQ's (20 MB) rather than body-parser's 100 kB,
 *   which a definitions file of a few hundred queues, or a publish of a modest
 *   message, already exceeds;
 * - the validation pipe drops unknown keys instead of refusing them, as RabbitMQ
 *   ignores what it does not read (the CLI and UI send extra fields); what is read
 *   is still type-checked, with a 400 naming the field;
 * - no ETags: hashing each large listing would cost more than it saves;
 * - once the server listens, its address joins the node's listeners (/api/overview shows them).
 */
import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
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
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: false, transform: true }));
  setupApiDocs(app);
  const server = app.getHttpServer() as Server;
  server.once('listening', () => {
    const { address, port } = server.address() as AddressInfo;
    app.get(NodeListeners).add({ protocol: 'http', ipAddress: address, port });
    new Logger('HttpApi').log(`HTTP API listening on ${address.includes(':') ? `[${address}]` : address}:${port}`);
  });
}
