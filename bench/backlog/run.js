#!/usr/bin/env node
/**
 * Issue 6's memory and recovery targets: publish a backlog of persistent 1 KiB
 * messages (default 1,000,000) to one durable queue with confirms and no
 * consumer, then restart Warren and drain it. Prints Warren's peak resident
 * memory while publishing, recovering and draining, the time until the backlog
 * is served again, and the drain rate per interval (it should stay steady).
 *
 *   npm run build && node bench/backlog/run.js [--messages 1000000] [--keep]
 */
const amqp = require('amqplib');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startWarren } = require('../lib/warren-process');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MESSAGES = option('messages', 1_000_000);
const WINDOW = 2000;
const QUEUE = 'bench.backlog';
const BODY = Buffer.alloc(1024, 'x');
const PORTS = { amqpPort: 25720, httpPort: 25721 };

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** Samples a process's RSS every 500 ms until stopped; returns the peak. */
function watchRss(pid) {
  let peak = 0;
  const sample = () => { try { peak = Math.max(peak, rssMiB(pid)); } catch { /* exited */ } };
  sample();
  const timer = setInterval(sample, 500);
  return () => { clearInterval(timer); sample(); return peak; };
}

async function publish(url) {
  const connection = await amqp.connect(url);
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(QUEUE, { durable: true });
  const started = Date.now();
  let sent = 0;
  let confirmed = 0;
  await new Promise((done, fail) => {
    const pump = () => {
      while (sent - confirmed < WINDOW && sent < MESSAGES) {
        sent++;
        channel.sendToQueue(QUEUE, BODY, { persistent: true }, (error) => {
          if (error) return fail(error);
          if (++confirmed === MESSAGES) done();
          else if (sent - confirmed < WINDOW / 2) pump();
        });
      }
    };
    pump();
  });
  const seconds = (Date.now() - started) / 1000;
  await connection.close();
  return { seconds, rate: MESSAGES / seconds };
}

async function drain(url, startedAt) {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  const { messageCount } = await channel.checkQueue(QUEUE);
  await channel.prefetch(1000);
  const intervals = [];
  let received = 0;
  let firstAt = 0;
  let lastMark = Date.now();
  let lastCount = 0;
  await new Promise((done) => {
    void channel.consume(QUEUE, (message) => {
      if (received === 0) firstAt = Date.now();
      received++;
      if (received % 100 === 0 || received === messageCount) channel.ack(message, true);
      const now = Date.now();
      if (now - lastMark >= 5000) {
        intervals.push(Math.round(((received - lastCount) * 1000) / (now - lastMark)));
        lastMark = now;
        lastCount = received;
      }
      if (received === messageCount) done();
    });
  });
  const seconds = (Date.now() - firstAt) / 1000;
  await connection.close();
  return { messageCount, firstDeliveryAfter: (firstAt - startedAt) / 1000, seconds, rate: messageCount / seconds, intervals };
}

async function main() {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'warren-backlog-'));
  fs.chmodSync(workDir, 0o755); // the embedded PostgreSQL runs as another user when we are root
  const lines = [];
  const say = (line) => { console.log(line); lines.push(line); };
  say(`backlog benchmark: ${MESSAGES.toLocaleString('en-US')} persistent 1 KiB messages, one durable queue`);
  say(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);

  let warren = await startWarren({ ...PORTS, workDir, openFiles: 4096 });
  let stopWatch = watchRss(warren.pid);
  const published = await publish(warren.url);
  const publishPeak = stopWatch();
  say(`publish: ${published.rate.toFixed(0)} msg/s (${published.seconds.toFixed(1)} s); Warren RSS peak ${publishPeak.toFixed(0)} MiB, after ${rssMiB(warren.pid).toFixed(0)} MiB`);
  await warren.stop();
  // startWarren waits for "Warren ready" in this file: the first run's line must not count.
  fs.renameSync(warren.logFile, path.join(workDir, 'warren-first-run.log'));

  const restartedAt = Date.now();
  warren = await startWarren({ ...PORTS, workDir, openFiles: 4096 });
  const readyAfter = (Date.now() - restartedAt) / 1000;
  stopWatch = watchRss(warren.pid);
  const drained = await drain(warren.url, restartedAt);
  const drainPeak = stopWatch();
  say(`recovery: ready after ${readyAfter.toFixed(1)} s, first delivery after ${drained.firstDeliveryAfter.toFixed(1)} s; ${drained.messageCount.toLocaleString('en-US')} messages recovered`);
  say(`drain: ${drained.rate.toFixed(0)} msg/s (${drained.seconds.toFixed(1)} s); per 5 s: ${drained.intervals.join(', ')}`);
  say(`Warren RSS peak while recovering and draining: ${drainPeak.toFixed(0)} MiB (target: under 512 MiB)`);
  await warren.stop();

  const resultsDir = path.join(__dirname, '..', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `backlog-${new Date().toISOString().slice(0, 10)}.md`);
  fs.writeFileSync(file, `# Backlog benchmark\n\n\`node bench/backlog/run.js --messages ${MESSAGES}\`\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
  if (!args.includes('--keep')) fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
