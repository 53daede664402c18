import { rmSync } from 'fs';
import type { EmbeddedPostgres } from '../../src/store/postgres/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { warrenTestServer?: EmbeddedPostgres }).warrenTestServer;
  if (!server) return;
  await server.stop();
  rmSync(server.dataDirectory, { recursive: true, force: true });
}
