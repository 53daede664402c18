#!/usr/bin/env node
/**
 * Issue 12's listing target: with 10,000 queues, GET /api/queues answers in
 * under 300 ms. Starts Warren (from dist/, on an embedded PostgreSQL in a
 * temporary directory), declares the queues over AMQP, and times the listing
 * plain, paged, paged with a sort on a rate, and reduced to a few columns.
 * When RabbitMQ's management API answers (http://127.0.0.1:15672, guest), does
 * the same there in a vhost of its own, which it deletes afterwards.
 *
 *   npm run build && node bench/list-queues/run.js [--queues 10000] [--runs 5]
 */
const amqp = require('amqplib');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startWarren } = require('../lib/warren-process');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const QUEUES = Number(option('queues', 10_000));
const RUNS = Number(option('runs', 5));
const RABBITMQ_API = option('rabbitmq-api', 'http://127.0.0.1:15672');
const RABBITMQ_AMQP = option('rabbitmq-url', 'amqp://guest:guest@127.0.0.1:5672');
const BENCH_VHOST = 'warren-bench-list-queues';
const AUTH = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

const REQUESTS = [
  ['plain', ''],
  ['paged (page 1 of 100)', '?page=1&page_size=100'],
  ['paged, sorted by publish rate', '?page=1&page_size=100&sort=message_stats.publish_details.rate&sort_reverse=true'],
  ['paged, name filter', '?page=1&page_size=100&name=bench.q.99'],
  ['columns=name,messages', '?columns=name,messages'],
];

async function declareQueues(url, vhost) {
  const connection = await amqp.connect(`${url}/${encodeURIComponent(vhost)}`);
  const channel = await connection.createChannel();
  const started = Date.now();
  const pending = [];
  for (let i = 0; i < QUEUES; i++) {
    pending.push(channel.assertQueue(`bench.q.${i}`, { durable: false }));
    if (pending.length === 500) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  await connection.close();
  return Date.now() - started;
}

/** Times `runs` GETs after one warm-up; returns the milliseconds, the body size and how many queues came back. */
async function timeGet(base, pathAndQuery) {
  const get = async () => {
    const started = process.hrtime.bigint();
    const response = await fetch(`${base}${pathAndQuery}`, { headers: { authorization: AUTH } });
    const text = await response.text();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!response.ok) throw new Error(`GET ${pathAndQuery}: ${response.status} ${text.slice(0, 200)}`);
    return { ms, bytes: text.length, body: JSON.parse(text) };
  };
  await get();
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    last = await get();
    times.push(last.ms);
  }
  times.sort((a, b) => a - b);
  const count = Array.isArray(last.body) ? last.body.length : `${last.body.item_count} of ${last.body.filtered_count}`;
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1], bytes: last.bytes, count };
}

async function measure(label, base, listPath) {
  const rows = [];
  for (const [name, query] of REQUESTS) rows.push({ request: name, ...(await timeGet(base, listPath + query)) });
  console.log(`\n${label}: GET ${listPath} with ${QUEUES} queues, ${RUNS} runs after a warm-up (ms)`);
  console.log('request                          median      min      max   body bytes   items');
  for (const r of rows) {
    console.log(`${r.request.padEnd(30)} ${r.median.toFixed(1).padStart(8)} ${r.min.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)} ${String(r.bytes).padStart(12)}   ${r.count}`);
  }
  return rows;
}

async function rabbitmqAvailable() {
  try {
    const response = await fetch(`${RABBITMQ_API}/api/overview`, { headers: { authorization: AUTH } });
    return response.ok;
  } catch {
    return false;
  }
}

async function rabbitApi(method, apiPath, body) {
  const response = await fetch(`${RABBITMQ_API}${apiPath}`, {
    method, headers: { authorization: AUTH, 'content-type': 'application/json' }, body: body && JSON.stringify(body),
  });
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${apiPath}: ${response.status}`);
}

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warren-bench-list-'));
  fs.chmodSync(workDir, 0o755); // the embedded PostgreSQL runs as another user when we are root
  console.log(`starting Warren with data in ${workDir} ...`);
  const warren = await startWarren({ amqpPort: 25740, httpPort: 25741, workDir, openFiles: 4096 });
  const results = {};
  try {
    const declareMs = await declareQueues('amqp://guest:guest@127.0.0.1:25740', '/');
    console.log(`Warren: declared ${QUEUES} queues in ${declareMs} ms`);
    results.warren = await measure('Warren', 'http://127.0.0.1:25741', '/api/queues');
  } finally {
    await warren.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  if (!(await rabbitmqAvailable())) {
    console.log(`\nRabbitMQ's management API does not answer at ${RABBITMQ_API}: run rabbitmq-plugins enable rabbitmq_management to compare.`);
    return;
  }
  const vhostPath = `/api/vhosts/${encodeURIComponent(BENCH_VHOST)}`;
  await rabbitApi('PUT', vhostPath);
  try {
    await rabbitApi('PUT', `/api/permissions/${encodeURIComponent(BENCH_VHOST)}/guest`, { configure: '.*', write: '.*', read: '.*' });
    const declareMs = await declareQueues(RABBITMQ_AMQP, BENCH_VHOST);
    console.log(`\nRabbitMQ: declared ${QUEUES} queues in ${declareMs} ms (vhost ${BENCH_VHOST})`);
    // RabbitMQ's stats database catches up with new queues over a few statistics intervals.
    await new Promise((done) => setTimeout(done, 10_000));
    results.rabbitmq = await measure('RabbitMQ', RABBITMQ_API, `/api/queues/${encodeURIComponent(BENCH_VHOST)}`);
  } finally {
    await rabbitApi('DELETE', vhostPath);
  }
  console.log('\nplain listing, median: Warren %s ms, RabbitMQ %s ms (%sx)', results.warren[0].median.toFixed(1),
    results.rabbitmq[0].median.toFixed(1), (results.rabbitmq[0].median / results.warren[0].median).toFixed(1));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
