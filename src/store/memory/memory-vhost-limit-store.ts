/** VhostLimitStore kept in memory, for tests; the same contract as the PostgreSQL store. */
import type { VhostLimitStore, VhostLimitValues } from '../../broker/ports/vhost-limit-store';

export class MemoryVhostLimitStore implements VhostLimitStore {
  private readonly limits = new Map<string, VhostLimitValues>();

  async load(): Promise<Map<string, VhostLimitValues>> {
    return new Map([...this.limits].map(([vhost, values]) => [vhost, { ...values }]));
  }

  async save(vhost: string, limits: VhostLimitValues): Promise<void> {
    if (Object.keys(limits).length === 0) this.limits.delete(vhost);
    else this.limits.set(vhost, { ...limits });
  }
}
