/**
 * The Warren a durability run drives, on a real PostgreSQL store, and the two
 * ways it stops: a graceful restart, and a crash followed by a start.
 *
 * In-process (the default): a crash first makes the database unreachable for the
 * old instance (its pool refuses, and every backend it held is terminated, so
 * uncommitted transactions roll back as they do when a process dies), then drops
 * its sockets without a word to the clients, and only then tears the remains down,
 * which can no longer write anything. It is fast enough for hundreds of sequences.
 *
 * Child process (`real`): Warren as a user runs it, killed with SIGKILL. Slower,
 * and the reference the in-process crash stands in for.
 */
import type { Pool } from 'pg';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AmqpListener } from '../../src/amqp/transport/amqp-listener';
import { MESSAGE_STORE } from '../../src/broker/ports/message-store';
import type { PostgresMessageStore } from '../../src/store/postgres/message-log/postgres-message-store';
import { BrokerProcess, startBroker } from '../support/broker-process';
import { RunningWarren, startWarren } from '../support/warren-app';

export interface BrokerUnderTest {
  readonly amqpUrl: string;
  restart(): Promise<void>;
  crashAndStart(): Promise<void>;
  stop(): Promise<void>;
}

export async function inProcessBroker(databaseUrl: string): Promise<BrokerUnderTest> {
  let running: RunningWarren = await startWarren(databaseUrl);
  return {
    get amqpUrl() {
      return running.amqpUrl;
    },
    async restart() {
      await running.close();
      running = await startWarren(databaseUrl);
    },
    async crashAndStart() {
      await crash(running, databaseUrl);
      running = await startWarren(databaseUrl);
    },
    stop: () => running.close(),
  };
}

export async function childProcessBroker(databaseUrl: string): Promise<BrokerUnderTest> {
  const start = () => startBroker({ DATABASE_URL: databaseUrl }, 120000);
  let running: BrokerProcess = await start();
  const url = () => `amqp://guest:guest@127.0.0.1:${running.amqpPort}`;
  return {
    get amqpUrl() {
      return url();
    },
    async restart() {
      await running.stop('SIGTERM');
      running = await start();
    },
    async crashAndStart() {
      await running.stop('SIGKILL');
      running = await start();
    },
    async stop() {
      await running.stop('SIGTERM');
    },
  };
}

async function crash(running: RunningWarren, databaseUrl: string): Promise<void> {
  const pool = (running.app.get(DataSource).driver as unknown as { master: Pool }).master;
  refuseEverything(pool);
  await terminateBackends(databaseUrl);
  running.app.get<PostgresMessageStore>(MESSAGE_STORE).close();
  for (const socket of (running.app.get(AmqpListener) as unknown as { sockets: Set<import('net').Socket> }).sockets) socket.destroy();
  await running.close();
}

/** The pool of a "dead" process: every request fails, by callback or promise, as pg's API allows both. */
function refuseEverything(pool: Pool): void {
  const refuse = (...args: unknown[]) => {
    const error = new Error('the process is gone (simulated crash)');
    const callback = args.find((arg) => typeof arg === 'function') as ((error: Error) => void) | undefined;
    if (callback) return void process.nextTick(() => callback(error));
    return Promise.reject(error);
  };
  Object.assign(pool, { connect: refuse, query: refuse });
}

async function terminateBackends(databaseUrl: string): Promise<void> {
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
  } finally {
    await admin.end();
  }
}
