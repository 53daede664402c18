/**
 * Where vhost limits (max-connections, max-queues) live between restarts.
 * Implementations: store/postgres and store/memory.
 */
export type VhostLimitValues = Record<string, number>;

export interface VhostLimitStore {
  /** Every vhost's limits, by vhost name. */
  load(): Promise<Map<string, VhostLimitValues>>;
  /** Replaces the vhost's limits; an empty object clears them. */
  save(vhost: string, limits: VhostLimitValues): Promise<void>;
}

export const VHOST_LIMIT_STORE = 'VhostLimitStore';
