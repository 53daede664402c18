/**
 * Workload 7: 1,000 idle connections, each with a channel and a consumer on one
 * queue. The broker's resident memory (VmRSS of its process) is read before
 * opening and again once they have settled; the difference over the count is the
 * memory one connection costs. Needs the broker on this machine.
 *
 * RSS only grows once the memory a process already holds is used up, so after
 * heavy traffic the figure under-counts; this workload therefore runs before the
 * others (runFirst), and repeated runs reuse what earlier ones freed.
 */
const fs = require('fs');
const { Generator } = require('../lib/generator');
const { sleep } = require('../lib/measure');

const QUEUE = 'bench.idle';
const COUNT = 1000;
const BATCH = 50;
const SETTLE_MS = 3000;

function openFileLimit(pid) {
  try {
    return /Max open files\s+(\S+)/.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'))[1];
  } catch {
    return 'unknown';
  }
}

module.exports = {
  key: 'idle',
  title: `7. ${COUNT} idle connections`,
  runFirst: true,
  rows: [
    { metric: 'kibPerConnection', label: `7. ${COUNT} idle connections: broker KiB per connection`, unit: 'KiB', better: 'lower' },
  ],
  async run(target) {
    if (!target.usage()) throw new Error(`cannot read the memory of ${target.name}'s process (not local, or no pid)`);
    await target.freshQueue(QUEUE, { durable: false });
    const g = await Generator.start('idle connections', 'idle.js', {}, { openFiles: 4 * COUNT + 1024 });
    try {
      await sleep(SETTLE_MS);
      const before = target.usage();
      const { opened, failed, firstError, ms } = await g.call('open', { url: target.url, queue: QUEUE, count: COUNT, batch: BATCH });
      if (opened === 0) throw new Error(`no connection opened: ${firstError}`);
      await sleep(SETTLE_MS);
      const after = target.usage();
      return {
        note: failed ? `${target.name} accepted only ${opened} of ${COUNT} connections (${firstError}; process open-file limit `
          + `${openFileLimit(target.pid)}); memory per connection is over those ${opened}` : undefined,
        opened,
        kibPerConnection: (after.rssKiB - before.rssKiB) / opened,
        rssBeforeMiB: before.rssKiB / 1024,
        rssAfterMiB: after.rssKiB / 1024,
        openMs: ms,
        processes: [],
      };
    } finally {
      await g.stop({ batch: BATCH });
      await target.deleteQueues([QUEUE]);
    }
  },
};
