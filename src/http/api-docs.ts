/**
 * The OpenAPI description of the HTTP API: the UI at /api/docs and the JSON at
 * /api/docs-json. Call before the app listens (Nest's 404 handler is added at init,
 * and routes added after it would never be reached).
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PRODUCT_VERSION } from './presenters/node';

export const API_DOCS_PATH = 'api/docs';

export function setupApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Warren HTTP API')
    .setDescription(
      "Shaped like RabbitMQ's management HTTP API. Vhosts are URL-encoded (the default vhost / is %2F) and " +
        'the default exchange is written amq.default. Errors are {"error", "reason"}.',
    )
    .setVersion(PRODUCT_VERSION)
    .addBasicAuth()
    .build();
  SwaggerModule.setup(API_DOCS_PATH, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${API_DOCS_PATH}-json`,
    yamlDocumentUrl: `${API_DOCS_PATH}-yaml`,
  });
}
