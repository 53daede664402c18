/**
 * Turns the runs into the one table (median per broker, ratio Warren/RabbitMQ),
 * the notes that qualify it (placeholders, client-bound generators, failures) and
 * the per-run details written below it in the results file.
 */
const { median, format, percent } = require('./stats');

const BROKERS = ['Warren', 'RabbitMQ'];
const PLACEHOLDER_MARK = '†';
const CLIENT_BOUND_MARK = '‡';
/** Below this share of a core, Warren's PostgreSQL counts as idle (background work only). */
const STORE_IDLE_CPU = 0.02;

function table(results) {
  const lines = ['| workload | Warren | RabbitMQ | ratio (Warren/RabbitMQ) |', '|---|---:|---:|---|'];
  const notes = new Set();
  for (const { workload, runs } of results.workloads) {
    for (const row of workload.rows) {
      const cells = {};
      const values = {};
      for (const broker of BROKERS) {
        const { text, value } = cell(workload, row, broker, runs[broker], notes);
        cells[broker] = text;
        values[broker] = value;
      }
      const direction = row.better === 'higher' ? 'higher is better' : 'lower is better';
      lines.push(`| ${row.label} (${direction}) | ${cells.Warren} | ${cells.RabbitMQ} | ${ratio(values.Warren, values.RabbitMQ, row.better)} |`);
    }
  }
  const noise = noiseNote(results);
  if (noise) notes.add(noise);
  return { table: lines.join('\n'), notes: [...notes] };
}

/** How much CPU other processes took while the windows were measured: the machine is shared. */
function noiseNote(results) {
  const others = results.workloads.flatMap(({ runs }) => Object.values(runs).flat())
    .map((r) => r.otherCpu).filter((v) => Number.isFinite(v)).map((v) => Math.max(0, v));
  if (!others.length) return null;
  const sorted = [...others].sort((a, b) => a - b);
  return `Noise: during the measured windows, processes other than the broker and the generators used a median `
    + `${percent(median(others))} of a core (from ${percent(sorted[0])} to ${percent(sorted[sorted.length - 1])}).`;
}

function cell(workload, row, broker, runs, notes) {
  if (!runs) return { text: 'not run', value: NaN };
  const good = runs.filter((r) => !r.error);
  const value = median(good.map((r) => r[row.metric]));
  let text = format(value, row.unit);
  if (good.length < runs.length) {
    text += ` (${runs.length - good.length}/${runs.length} failed)`;
    notes.add(`${broker}, ${workload.title}: ${runs.find((r) => r.error).error.split('\n')[0]}`);
  }
  for (const run of good) if (run.note) notes.add(run.note);
  if (broker === 'Warren' && workload.persistent && good.length) {
    text += ` ${PLACEHOLDER_MARK}`;
    notes.add(`${PLACEHOLDER_MARK} ${durabilityNote(workload, good)}`);
  }
  const bound = clientBound(good);
  if (bound.length && good.length) {
    text += ` ${CLIENT_BOUND_MARK}`;
    notes.add(`${CLIENT_BOUND_MARK} ${broker}, ${workload.title}: client-bound, ${bound.join(', ')}; `
      + 'the figure is a floor for the broker (see --producers/--consumers)');
  }
  return { text, value };
}

/**
 * Whether Warren's persistent figures are durable rates is checked, not assumed:
 * a build that kept persistent messages in memory would look fast for nothing.
 * The evidence is its embedded PostgreSQL (Warren's child processes) working
 * during the window.
 */
function durabilityNote(workload, runs) {
  const store = median(runs.map((r) => r.storeCpu ?? NaN));
  if (!Number.isFinite(store)) {
    return `${workload.title}: Warren's PostgreSQL could not be observed (Warren not started by the benchmark); `
      + 'it is a durable rate only if that Warren writes persistent messages to PostgreSQL.';
  }
  if (store < STORE_IDLE_CPU) {
    return `${workload.title}: Warren's PostgreSQL was idle (${percent(store)} of a core), so persistent messages stayed in memory: `
      + 'not a durable rate.';
  }
  return `${workload.title}: Warren's PostgreSQL worked during the run (${percent(store)} of a core), so this build writes persistent `
    + 'messages to it: a durable rate.';
}

/** Generator processes at or above 90% of a core in at least half the runs. */
function clientBound(runs) {
  const names = new Map();
  for (const run of runs) {
    for (const p of run.processes ?? []) {
      if (!p.clientBound) continue;
      names.set(p.name, [...(names.get(p.name) ?? []), p.cpu]);
    }
  }
  return [...names].filter(([, cpus]) => cpus.length * 2 >= runs.length)
    .map(([name, cpus]) => `${name} at ${percent(median(cpus))} CPU`);
}

function ratio(warren, rabbit, better) {
  if (!Number.isFinite(warren) || !Number.isFinite(rabbit) || rabbit === 0) return 'n/a';
  const r = warren / rabbit;
  const warrenBetter = better === 'higher' ? r > 1 : r < 1;
  const verdict = Math.abs(r - 1) < 0.005 ? 'even' : warrenBetter ? 'Warren better' : 'RabbitMQ better';
  return `${r.toFixed(2)} (${verdict})`;
}

/** One line per run: the row's figures plus what the processes did during the window. */
function details(results) {
  const out = [];
  for (const { workload, runs } of results.workloads) {
    out.push(`### ${workload.title}`, '');
    for (const broker of BROKERS) {
      (runs[broker] ?? []).forEach((run, i) => out.push(`- ${broker} run ${i + 1}: ${describeRun(workload, run)}`));
    }
    out.push('');
  }
  return out.join('\n');
}

function describeRun(workload, run) {
  if (run.error) return `failed: ${run.error.split('\n')[0]}`;
  const parts = workload.rows.map((row) => `${row.metric} ${format(run[row.metric], row.unit)}`);
  if (run.published !== undefined && !workload.rows.some((r) => r.metric === 'published')) parts.push(`published ${format(run.published, 'msg/s')}`);
  if (run.p50 !== undefined) parts.push(`max ${format(run.max, 'ms')} ms over ${run.count} messages${run.behind ? `, ${run.behind} ticks held by the in-flight cap` : ''}`);
  if (run.rssBeforeMiB !== undefined) parts.push(`RSS ${run.rssBeforeMiB.toFixed(0)} -> ${run.rssAfterMiB.toFixed(0)} MiB, ${run.opened} opened in ${run.openMs} ms`);
  if (run.brokerCpu !== undefined && run.brokerCpu !== null) {
    parts.push(`broker CPU ${percent(run.brokerCpu)}${run.brokerChildCpu >= 0.005 ? ` + ${percent(run.brokerChildCpu)} in its child processes` : ''}`);
  }
  if (run.machineBusy !== undefined) parts.push(`machine busy ${percent(run.machineBusy)}`);
  if (run.otherCpu !== undefined && run.otherCpu !== null) parts.push(`other processes ${percent(Math.max(0, run.otherCpu))} of a core`);
  const gens = (run.processes ?? []).map((p) => `${p.name} ${percent(p.cpu)}`);
  if (gens.length) parts.push(`generators: ${gens.join(', ')}`);
  if (run.copiesPerMessage !== undefined) parts.push(`routed ${format(run.routed, 'msg/s')}, ${run.copiesPerMessage.toFixed(2)} queues per message`);
  const holds = (run.processes ?? []).reduce((n, p) => n + (p.final?.backlogHolds ?? 0), 0);
  if (run.maxBacklogSeen !== undefined) parts.push(`deepest backlog ${format(run.maxBacklogSeen)} per queue, producers held ${holds} times`);
  return parts.join('; ');
}

function header(results) {
  const { facts, targets, options } = results;
  const lines = [
    `# Warren vs RabbitMQ, ${results.date}`,
    '',
    `- Machine: ${facts.cpu}, ${facts.cores} cores, ${facts.memoryGiB} GiB memory, ${facts.kernel}`,
    `- Node ${facts.node}, client amqplib ${options.amqplibVersion}`,
    `- Warren: ${targets.Warren ? `${targets.Warren.product} ${targets.Warren.version}, ${targets.Warren.url}` : 'not run'}`
      + `; commit ${facts.commit}${facts.dirty ? ' (with uncommitted changes in src/)' : ''}`,
    `- RabbitMQ: ${targets.RabbitMQ ? `${targets.RabbitMQ.product} ${targets.RabbitMQ.version}, ${targets.RabbitMQ.url}` : 'not run'}`,
    `- ${options.runs} runs per workload and broker, median shown; ${options.warmup} s warm-up then ${options.seconds} s measured; `
      + `${options.producers} producer and ${options.consumers} consumer process(es); ack every ${options.ackEvery}; `
      + `producers hold off above ${options.maxBacklog || 'no limit of'} ready messages`,
    `- Command: \`${options.command}\``,
    '',
    'Both brokers and all load generators share this machine; see docs/benchmarks.md for how to read this.',
    '',
  ];
  return lines.join('\n');
}

function markdown(results) {
  const { table: t, notes } = table(results);
  return [header(results), t, '', ...notes.map((n) => `- ${n}`), '', '## Runs', '', details(results)].join('\n');
}

module.exports = { table, markdown, details };
