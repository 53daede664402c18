/**
 * The one Warren node as RabbitMQ's /api/nodes shows a node, with what Node.js
 * can tell honestly. mem_used is the process's resident memory (RabbitMQ's
 * "rss" strategy); mem_limit and mem_alarm are Warren's memory alarm, which
 * watches the message bytes queues hold (QUEUE_MEMORY_LIMIT), shown separately
 * as mem_alarm_bytes_used. Erlang-only fields (processes, run queue, GC) are absent.
 */
import { availableParallelism } from 'os';
import type { MemoryAlarm } from '../../broker/flow/memory-alarm';
import { EXCHANGE_TYPES } from '../../broker/routing';
import { diskFreeBytes, processResources } from '../../node/node-resources';
import { NODE_NAME } from './node';

export interface NodeFacts {
  memory: MemoryAlarm;
  /** Open client sockets. */
  socketsUsed: number;
  /** Where the embedded PostgreSQL keeps its data; undefined with DATABASE_URL (its disk is not ours to see). */
  dataDir?: string;
}

export function presentNode({ memory, socketsUsed, dataDir }: NodeFacts) {
  const resources = processResources();
  const diskFree = dataDir === undefined ? undefined : diskFreeBytes(dataDir);
  return {
    name: NODE_NAME,
    type: 'disc',
    running: true,
    os_pid: String(process.pid),
    uptime: Math.round(process.uptime() * 1000),
    processors: availableParallelism(),
    rates_mode: 'basic',
    mem_used: resources.residentMemoryBytes,
    mem_limit: memory.limitBytes,
    mem_alarm: memory.isRaised,
    mem_alarm_bytes_used: memory.bytesHeld,
    mem_calculation_strategy: 'rss',
    ...(resources.openFds === undefined ? {} : { fd_used: resources.openFds }),
    ...(resources.maxFds === undefined ? {} : { fd_total: resources.maxFds, sockets_total: resources.maxFds }),
    sockets_used: socketsUsed,
    ...(diskFree === undefined ? {} : { disk_free: diskFree }),
    // Warren has no disk alarm: no limit, never raised.
    disk_free_limit: 0,
    disk_free_alarm: false,
    partitions: [] as string[],
    exchange_types: EXCHANGE_TYPES.map((name) => ({ name, description: `AMQP ${name} exchange, as per the AMQP specification`, enabled: true })),
    auth_mechanisms: [
      { name: 'PLAIN', description: 'SASL PLAIN authentication mechanism', enabled: true },
      { name: 'AMQPLAIN', description: 'QPid AMQPLAIN mechanism', enabled: true },
    ],
    enabled_plugins: [] as string[],
    being_drained: false,
  };
}
