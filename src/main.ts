/**
 * Boot order: configuration, database (embedded or DATABASE_URL) with migrations,
 * HTTP and AMQP listeners. Shutdown on SIGTERM/SIGINT runs Nest's hooks in reverse:
 * listeners close, in-flight writes finish, the pool closes, embedded PostgreSQL stops.
 */
import 'reflect-metadata';
import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AmqpListener } from './amqp/transport/amqp-listener';
import { AppModule } from './app.module';
import { PrometheusEndpoint } from './http/prometheus/prometheus-endpoint';
import { ConfigError, loadConfig, WarrenConfig } from './config/warren-config';
import { setupHttpApi } from './http/setup-http-api';
import { createLogger } from './logging';

const SHUTDOWN_DEADLINE_MS = 9500;

async function bootstrap(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  let app: INestApplication | undefined;
  installSignalHandlers(() => app, logger);
  try {
    app = await NestFactory.create(AppModule.forRoot(config), { logger, abortOnError: false, forceCloseConnections: true });
    setupHttpApi(app);
    await listenOrExplain(() => app!.listen(config.HTTP_PORT, config.BIND_ADDRESS ?? '::'), 'HTTP_PORT', config.HTTP_PORT);
    await listenOrExplain(() => app!.get(AmqpListener).listen(), 'AMQP_PORT', config.AMQP_PORT);
    await listenOrExplain(() => app!.get(PrometheusEndpoint).listen(), 'PROMETHEUS_PORT', config.PROMETHEUS_PORT);
    const ports = `AMQP on port ${app.get(AmqpListener).port}, HTTP on port ${httpPort(app)}, Prometheus on port ${app.get(PrometheusEndpoint).port}`;
    logger.log(`Warren ready: ${ports}`);
  } catch (error) {
    logger.fatal(error instanceof StartupError ? error.message : `startup failed: ${(error as Error).message}`);
    await app?.close().catch(() => undefined);
    process.exit(1);
  }
}

function readConfigOrExit(): WarrenConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(error.message + '\n');
    process.exit(1);
  }
}

class StartupError extends Error {}

async function listenOrExplain(listen: () => Promise<unknown>, variable: string, port: number): Promise<void> {
  try {
    await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new StartupError(`port ${port} is already in use; set ${variable} to a free port`);
    if (code === 'EACCES') throw new StartupError(`no permission to listen on port ${port}; set ${variable} to a port above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new StartupError(`cannot listen on BIND_ADDRESS for ${variable}: ${(error as Error).message}`);
    throw error;
  }
}

function httpPort(app: INestApplication): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : 0;
}

function installSignalHandlers(currentApp: () => INestApplication | undefined, logger: LoggerService): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received; shutting down`);
    setTimeout(() => {
      logger.error(`shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    try {
      await currentApp()?.close();
      logger.log('shutdown complete');
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void bootstrap();
