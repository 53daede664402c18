/**
 * Warren in-process for e2e tests: the real AppModule on a test database, with
 * both listeners on port 0. `useWarren()` starts one per test file.
 */
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { AmqpListener } from '../../src/amqp/transport/amqp-listener';
import { PrometheusEndpoint } from '../../src/http/prometheus/prometheus-endpoint';
import { loadConfig } from '../../src/config/warren-config';
import { setupHttpApi } from '../../src/http/setup-http-api';
import { useTestDatabase } from './test-database';

export interface RunningWarren {
  app: INestApplication;
  amqpPort: number;
  httpPort: number;
  prometheusPort: number;
  amqpUrl: string;
  close(): Promise<void>;
}

export async function startWarren(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningWarren> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, AMQP_PORT: '0', HTTP_PORT: '0', PROMETHEUS_PORT: '0', LOG_LEVEL: 'error', ...env });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'fatal'], abortOnError: false, forceCloseConnections: true });
  setupHttpApi(app);
  await app.listen(0, '127.0.0.1');
  const amqpPort = await app.get(AmqpListener).listen();
  const prometheusPort = await app.get(PrometheusEndpoint).listen();
  const httpPort = (app.getHttpServer().address() as { port: number }).port;
  return {
    app, amqpPort, httpPort, prometheusPort, amqpUrl: `amqp://guest:guest@127.0.0.1:${amqpPort}`,
    close: () => app.close(),
  };
}

/** A fresh database and a running Warren for the whole test file. */
export function useWarren(env: Record<string, string> = {}): RunningWarren {
  const database = useTestDatabase();
  const running = {} as RunningWarren;
  beforeAll(async () => {
    Object.assign(running, await startWarren(database.url, env));
  });
  afterAll(async () => {
    await running.close?.();
  });
  return running;
}
