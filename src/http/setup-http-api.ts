/**
 * What the HTTP API needs from the application before it listens; main.ts calls
 * this once after creating the app. The JSON body limit is RabbitMQ's (20 MB)
 * rather than body-parser's 100 kB, which a definitions file of a few hundred
 * queues, or a publish of a modest message, already exceeds.
 */
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { setupApiDocs } from './api-docs';

export const HTTP_BODY_LIMIT_BYTES = 20_000_000;

export function setupHttpApi(app: INestApplication): void {
  (app as NestExpressApplication).useBodyParser('json', { limit: HTTP_BODY_LIMIT_BYTES });
  setupApiDocs(app);
}
