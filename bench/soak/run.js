#!/usr/bin/env node
/**
 * Soak: publish and consume persistent messages together at a steady rate for a
 * while (default 10 minutes at 2,000 msg/s) and show that the message log's
 * tables neither grow nor collect dead tuples: space is reclaimed by dropping
 * whole segments, not by DELETE. Prints table size and n_dead_tup every minute.
 *
 * Uses a scratch database on SOAK_PG (default postgres://postgres@127.0.0.1:5432),
 * so the figures can be read from pg_stat_user_tables while Warren runs.
 *   npm run build && node bench/soak/run.js [--minutes 10] [--rate 2000]
 */
const { spawn } = require('child_process');
const amqp = require('amqplib');
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MINUTES = option('minutes', 10);
const RATE = option('rate', 2000);
const SERVER = process.env.SOAK_PG ?? 'postgres://postgres@127.0.0.1:5432';
const DATABASE = 'warren_soak';
const QUEUE = 'bench.soak';
const ROOT = path.join(__dirname, '..', '..');

async function admin(sql) {
  const client = new Client({ connectionString: `${SERVER}/postgres` });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

async function tableStats(client) {
  const { rows } = await client.query(`
    SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::bigint AS bytes, coalesce(sum(n_dead_tup), 0)::bigint AS dead,
           coalesce(sum(n_live_tup), 0)::bigint AS live, count(*)::int AS partitions
      FROM pg_stat_user_tables
     WHERE relname ~ '^(messages|queue_entries|entry_events)_s[0-9]+$'`);
  return rows[0];
}

async function startWarren() {
  const log = fs.openSync('/tmp/warren-soak.log', 'w');
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], {
    cwd: ROOT, stdio: ['ignore', log, log],
    env: { ...process.env, DATABASE_URL: `${SERVER}/${DATABASE}`, AMQP_PORT: '25730', HTTP_PORT: '25731', PROMETHEUS_PORT: '0', LOG_LEVEL: 'info' },
  });
  for (let waited = 0; !fs.readFileSync('/tmp/warren-soak.log', 'utf8').includes('Warren ready'); waited += 100) {
    if (waited > 60000 || child.exitCode !== null) throw new Error('Warren did not start; see /tmp/warren-soak.log');
    await new Promise((d) => setTimeout(d, 100));
  }
  return child;
}

async function main() {
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${DATABASE}`);
  const warren = await startWarren();
  const stats = new Client({ connectionString: `${SERVER}/${DATABASE}` });
  await stats.connect();
  const connection = await amqp.connect('amqp://guest:guest@127.0.0.1:25730');
  const publisher = await connection.createConfirmChannel();
  const consumer = await connection.createChannel();
  await publisher.assertQueue(QUEUE, { durable: true });
  await consumer.prefetch(500);
  let consumed = 0;
  await consumer.consume(QUEUE, (message) => { consumed++; consumer.ack(message); });

  let published = 0;
  const body = Buffer.alloc(1024, 's');
  const started = Date.now();
  const ticker = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * RATE);
    while (published < due) { publisher.sendToQueue(QUEUE, body, { persistent: true }); published++; }
  }, 10);

  console.log(`soak: ${RATE} msg/s persistent 1 KiB for ${MINUTES} min; message-log tables every minute`);
  console.log('minute | published | consumed | backlog | partitions | table MiB | n_live_tup | n_dead_tup');
  const lines = [];
  for (let minute = 0; minute <= MINUTES; minute++) {
    if (minute > 0) await new Promise((d) => setTimeout(d, 60000));
    const s = await tableStats(stats);
    const line = `${minute} | ${published} | ${consumed} | ${published - consumed} | ${s.partitions} | ${(Number(s.bytes) / 2 ** 20).toFixed(1)} | ${s.live} | ${s.dead}`;
    console.log(line);
    lines.push(line);
  }
  clearInterval(ticker);
  await connection.close();
  await stats.end();
  warren.kill('SIGTERM');
  await new Promise((d) => warren.once('exit', d));
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  const file = path.join(__dirname, '..', 'results', `soak-${new Date().toISOString().slice(0, 10)}.md`);
  fs.writeFileSync(file, `# Soak benchmark\n\n\`node bench/soak/run.js --minutes ${MINUTES} --rate ${RATE}\`\n\n` +
    `| minute | published | consumed | backlog | partitions | table MiB | n_live_tup | n_dead_tup |\n|---|---|---|---|---|---|---|---|\n` +
    lines.map((l) => `| ${l} |`).join('\n') + '\n');
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
