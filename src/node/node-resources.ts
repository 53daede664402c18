/**
 * What the operating system tells about this process, for /api/nodes and the
 * metrics: resident memory, file descriptors (Linux /proc), free disk space
 * where the embedded PostgreSQL keeps its data. Anything the platform does not
 * tell comes back undefined rather than guessed.
 */
import { readdirSync, readFileSync, statfsSync } from 'fs';

export interface ProcessResources {
  residentMemoryBytes: number;
  openFds?: number;
  maxFds?: number;
}

export function processResources(): ProcessResources {
  return { residentMemoryBytes: process.memoryUsage.rss(), openFds: openFds(), maxFds: maxFds() };
}

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function maxFds(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

/** Bytes free for an unprivileged user on the filesystem holding `path`; undefined if it cannot be read. */
export function diskFreeBytes(path: string): number | undefined {
  try {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}
