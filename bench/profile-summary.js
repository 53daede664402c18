#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self
 * time, with their inclusive time beside it, as a markdown table.
 *
 *   node bench/profile-summary.js PROFILE.cpuprofile [--top 15] [--src-only] [--whole]
 *   node bench/profile-summary.js PROFILE.cpuprofile --callers createUnsafeBuffer [--depth 4]
 *
 * --callers lists the call paths that led to a function's self time, which is
 * what to look at when the top entry is a Node internal (a Buffer allocation, a
 * copy, writev) rather than Warren's own code.
 *
 * When bench/run.js --cpu-prof DIR made the profile, DIR/windows.json says when
 * the measured windows ran, and only samples inside them count (startup, with its
 * embedded PostgreSQL initdb, would otherwise top the list); --whole counts all.
 *
 * Percentages are of the busy time: samples in "(idle)" are left out, so the
 * figures say where the CPU went while Warren was working. Node internals,
 * node_modules, "(garbage collector)" and "(program)" are listed with Warren's
 * own functions; --src-only keeps only the latter.
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function main(argv) {
  const file = argv.find((a) => a.endsWith('.cpuprofile'));
  if (!file || argv.includes('--help')) {
    console.log('usage: node bench/profile-summary.js PROFILE.cpuprofile [--top N] [--src-only]');
    process.exit(file ? 0 : 2);
  }
  const topIndex = argv.indexOf('--top');
  const top = topIndex >= 0 ? Number(argv[topIndex + 1]) : 15;
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const windowsFile = path.join(path.dirname(file), 'windows.json');
  const windows = !argv.includes('--whole') && fs.existsSync(windowsFile) ? JSON.parse(fs.readFileSync(windowsFile, 'utf8')) : null;
  const callersIndex = argv.indexOf('--callers');
  if (callersIndex >= 0) {
    const depthIndex = argv.indexOf('--depth');
    return printCallers(profile, windows, argv[callersIndex + 1], depthIndex >= 0 ? Number(argv[depthIndex + 1]) : 4, top);
  }
  const { rows, busyMs, idleMs } = summarise(profile, windows);
  const shown = (argv.includes('--src-only') ? rows.filter((r) => r.where.startsWith('dist/src/') || r.where.startsWith('src/')) : rows).slice(0, top);
  const scope = windows ? `${windows.length} measured window(s) (${[...new Set(windows.map((w) => w.workload))].join(', ')})` : 'whole profile';
  console.log(`${path.basename(file)}, ${scope}: ${(busyMs / 1000).toFixed(1)} s busy, ${(idleMs / 1000).toFixed(1)} s idle; % of busy time\n`);
  console.log('| # | self % | self ms | total % | function | where |');
  console.log('|---:|---:|---:|---:|---|---|');
  shown.forEach((r, i) => {
    console.log(`| ${i + 1} | ${pct(r.self, busyMs)} | ${r.self.toFixed(0)} | ${pct(r.total, busyMs)} | ${r.name} | ${r.where} |`);
  });
}

/** Calls `visit(nodeId, ms)` for every sample inside the windows (all samples without windows). */
function eachSample(profile, windows, visit) {
  let atUs = profile.startTime;
  profile.samples.forEach((id, i) => {
    atUs += profile.timeDeltas[i] ?? 0;
    if (windows && !windows.some((w) => atUs >= w.fromUs && atUs <= w.toUs)) return;
    visit(id, (profile.timeDeltas[i] ?? 0) / 1000);
  });
}

function printCallers(profile, windows, name, depth, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const info = new Map();
  const paths = new Map();
  let totalMs = 0;
  eachSample(profile, windows, (id, ms) => {
    if (byId.get(id).callFrame.functionName !== name) return;
    totalMs += ms;
    const chain = [];
    for (let at = parent.get(id); at !== undefined && chain.length < depth; at = parent.get(at)) {
      const { name: fn, where } = info.get(key(byId.get(at), info));
      chain.push(`${fn} (${where})`);
    }
    const path = chain.join(' < ');
    paths.set(path, (paths.get(path) ?? 0) + ms);
  });
  console.log(`${name}: ${totalMs.toFixed(0)} ms self time, by caller (nearest first)\n`);
  [...paths].sort((a, b) => b[1] - a[1]).slice(0, top)
    .forEach(([path, ms]) => console.log(`${ms.toFixed(0).padStart(7)} ms  ${name} < ${path}`));
}

function summarise(profile, windows) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  const info = new Map();
  let busyMs = 0;
  let idleMs = 0;
  eachSample(profile, windows, (id, ms) => {
    const node = byId.get(id);
    const fn = key(node, info);
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    self.set(fn, (self.get(fn) ?? 0) + ms);
    // Inclusive time: each function once per sample, however deep it recurses.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = key(byId.get(at), info);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  });
  const rows = [...self].map(([k, ms]) => ({ ...info.get(k), self: ms, total: total.get(k) ?? ms }))
    .sort((a, b) => b.self - a.self);
  return { rows, busyMs, idleMs };
}

function key(node, info) {
  const { functionName, url, lineNumber } = node.callFrame;
  const k = `${functionName}|${url}|${lineNumber}`;
  if (!info.has(k)) {
    const file = url.startsWith('file://') ? path.relative(ROOT, new URL(url).pathname) : url;
    info.set(k, { name: functionName || '(anonymous)', where: file ? `${file}:${lineNumber + 1}` : '' });
  }
  return k;
}

const pct = (ms, of) => `${((100 * ms) / of).toFixed(1)}%`;

main(process.argv.slice(2));
