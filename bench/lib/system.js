/**
 * What the benchmark reads from the operating system: which process listens on a
 * port (the broker under test), its resident memory and CPU time, the machine's
 * CPU use, and the facts printed at the head of a results file.
 */
const fs = require('fs');
const os = require('os');
const { execFileSync } = require('child_process');

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** The pid of the process holding a listening TCP socket on port, or null (needs /proc of that process). */
function pidListeningOn(port) {
  const inodes = new Set();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines = [];
    try { lines = fs.readFileSync(table, 'utf8').trim().split('\n').slice(1); } catch { continue; }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const localPort = parseInt(fields[1].split(':')[1], 16);
      if (fields[3] === '0A' && localPort === port) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds = [];
    try { fds = fs.readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      let target = '';
      try { target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match && inodes.has(match[1])) return Number(pid);
    }
  }
  return null;
}

/**
 * Resident memory in KiB and CPU seconds used so far by pid, and separately by its
 * descendants (Warren's embedded PostgreSQL runs as child processes), or null
 * when it cannot be read.
 */
function processUsage(pid) {
  if (!pid) return null;
  try {
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    const own = stat(pid);
    let childCpuSeconds = own.reapedChildren;
    for (const child of descendants(pid)) childCpuSeconds += stat(child)?.cpu ?? 0;
    return { rssKiB, cpuSeconds: own.cpu, childCpuSeconds, name: fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() };
  } catch {
    return null;
  }
}

function stat(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces; count from the closing parenthesis. Fields 14-17:
    // utime, stime, and the same for children already waited for.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    return { ppid: f[1], cpu: (f[11] + f[12]) / CLOCK_TICKS, reapedChildren: (f[13] + f[14]) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

function descendants(root) {
  const children = new Map();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const ppid = stat(pid)?.ppid;
    if (ppid) children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)]);
  }
  const found = [];
  for (let queue = [root]; queue.length;) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Busy and total jiffies over all CPUs, for the share of the machine in use during a window. */
function machineCpu() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

function machineFacts() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model.trim(),
    cores: os.cpus().length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    commit: git(['rev-parse', '--short', 'HEAD']),
    // Others may have work in progress in the tree; the build measures it too.
    dirty: git(['status', '--porcelain', '--untracked-files=no', '--', 'src']) !== '',
  };
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: `${__dirname}/../..`, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

module.exports = { pidListeningOn, processUsage, machineCpu, machineFacts };
