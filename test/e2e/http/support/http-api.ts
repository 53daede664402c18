/**
 * Builds Warren in-process the way src/main.ts does (same module, same global
 * ValidationPipe, setupHttpApi), on a test database, without listening:
 * supertest drives the HTTP server directly. Close and build again on the same
 * DATABASE_URL to see what survives a restart. `useApi()` does the usual: one
 * app on a fresh database for the whole test file.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { AppModule } from '../../../../src/app.module';
import { loadConfig } from '../../../../src/config/warren-config';
import { setupHttpApi } from '../../../../src/http/setup-http-api';
import { useTestDatabase } from '../../../support/test-database';

export const USER = 'guest';
export const PASSWORD = 'guest';

export async function startApp(databaseUrl: string): Promise<INestApplication> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, AMQP_PORT: '0', HTTP_PORT: '0', PROMETHEUS_PORT: '0', LOG_LEVEL: 'error' });
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['fatal', 'error'], abortOnError: false });
  setupHttpApi(app);
  await app.init();
  return app;
}

/** supertest requests with guest's credentials; `anonymous` has none. */
export function apiClient(app: INestApplication) {
  return clientOf(() => app);
}

export type ApiClient = ReturnType<typeof apiClient>;

export interface HttpApi {
  /** The running app, once beforeAll has run: for reaching into its services. */
  app: INestApplication;
  /** Usable as soon as useApi returns: each request finds the app when it is made. */
  api: ApiClient;
}

/**
 * A fresh database and an app on it for the whole test file. jest runs hooks in
 * the order they are registered: a beforeAll after this call sees the app
 * started, an afterAll after it runs once the app has closed.
 */
export function useApi(): HttpApi {
  const database = useTestDatabase();
  const http = {} as HttpApi;
  http.api = clientOf(() => http.app);
  beforeAll(async () => {
    http.app = await startApp(database.url);
  });
  afterAll(() => http.app?.close());
  return http;
}

function clientOf(app: () => INestApplication) {
  const server = () => app().getHttpServer();
  return {
    get: (path: string) => request(server()).get(path).auth(USER, PASSWORD),
    put: (path: string) => request(server()).put(path).auth(USER, PASSWORD),
    post: (path: string) => request(server()).post(path).auth(USER, PASSWORD),
    delete: (path: string) => request(server()).delete(path).auth(USER, PASSWORD),
    anonymous: () => request(server()),
  };
}

/** `PUT` with a JSON body, expecting the given status; returns the response. */
