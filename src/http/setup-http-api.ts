/**
 * What the HTTP API needs from the application before it listens; main.ts (and
 * the tests' app) call this once after creating the app:
 * - the JSON body limit is RabbitMQ's (20 MB) rather than body-parser's 100 kB,
 *   which a definitions file of a few hundred queues, or a publish of a modest
 *   message, already exceeds;
 * - the validation pipe drops unknown keys instead of refusing them, as RabbitMQ
 *   ignores what it does not read (the CLI and UI send extra fields); what is read
 *   is still type-checked, with a 400 naming the field.
 */
import { INestApplication, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { setupApiDocs } from './api-docs';

export const HTTP_BODY_LIMIT_BYTES = 20_000_000;

export function setupHttpApi(app: INestApplication): void {
  (app as NestExpressApplication).useBodyParser('json', { limit: HTTP_BODY_LIMIT_BYTES });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: false, transform: true }));
  setupApiDocs(app);
}
