#!/usr/bin/env node
/**
 * RabbitMQ cross-check: runs the AMQP scenarios of issue 4 against a broker and
 * prints one JSON line per scenario with what happened (reply codes and texts,
 * delivery order, counts, redelivered flags), so that Warren's tests can be held
 * to RabbitMQ's behaviour rather than to our guesses.
 *
 *   node bench/crosscheck/run.js [url]                 one broker (default amqp://guest:guest@127.0.0.1:5672)
 *   node bench/crosscheck/run.js --compare urlA urlB   both, then the scenarios where they differ
 *   --only <substring>                                 only scenarios whose name contains it
 *
 * Everything it creates is named 'xcheck.*' (or is exclusive) and deleted afterwards.
 */
'use strict';

const { randomBytes } = require('crypto');
const { ScenarioContext } = require('./harness');
const { scenarios } = require('./scenarios');

const DEFAULT_URL = 'amqp://guest:guest@127.0.0.1:5672';
const SCENARIO_TIMEOUT_MS = 30000;

/** Replaces what differs from run to run (generated names and ids) with placeholders. */
function normalise(value, runId) {
  const text = JSON.stringify(value, (_key, v) => (Buffer.isBuffer(v) ? { buffer: v.toString('hex') } : v === undefined ? '<undefined>' : v));
  return JSON.parse((text ?? 'null')
    .replaceAll(runId, '<run>')
    .replace(/amq\.gen-[A-Za-z0-9_-]{22}/g, 'amq.gen-<id>')
    .replace(/amq\.ctag-[A-Za-z0-9_-]+/g, 'amq.ctag-<id>'));
}

async function runOne(url, { name, run }, runId) {
  const context = new ScenarioContext(url, name, runId);
  let timer;
  try {
    const result = await Promise.race([
      run(context),
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`timed out after ${SCENARIO_TIMEOUT_MS} ms`)), SCENARIO_TIMEOUT_MS))),
    ]);
    return { scenario: name, result: normalise(result, runId) };
  } catch (error) {
    return { scenario: name, error: normalise(error.message, runId) };
  } finally {
    clearTimeout(timer);
    await context.cleanup();
  }
}

async function runAll(url, only, print) {
  const runId = randomBytes(4).toString('hex');
  const results = [];
  for (const scenario of scenarios) {
    if (only && !scenario.name.includes(only)) continue;
    const line = await runOne(url, scenario, runId);
    results.push(line);
    if (print) console.log(JSON.stringify(line));
  }
  return results;
}

async function compare(urlA, urlB, only) {
  const [a, b] = [await runAll(urlA, only, false), await runAll(urlB, only, false)];
  let differences = 0;
  for (let i = 0; i < a.length; i++) {
    const left = JSON.stringify(a[i]);
    const right = JSON.stringify(b[i]);
    if (left === right) continue;
    differences++;
    console.log(JSON.stringify({ scenario: a[i].scenario, a: a[i].result ?? { error: a[i].error }, b: b[i].result ?? { error: b[i].error } }));
  }
  console.log(JSON.stringify({ summary: { scenarios: a.length, same: a.length - differences, different: differences, a: urlA, b: urlB } }));
}

async function main(argv) {
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv.splice(onlyAt, 2)[1] : undefined;
  if (argv[0] === '--compare') {
    if (argv.length !== 3) throw new Error('usage: run.js --compare urlA urlB');
    return compare(argv[1], argv[2], only);
  }
  await runAll(argv[0] ?? DEFAULT_URL, only, true);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error) => {
    console.error(error.message);
    process.exit(1);
  },
);
