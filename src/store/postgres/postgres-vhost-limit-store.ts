/** VhostLimitStore on PostgreSQL: one row per (vhost, limit name); a vhost's rows go with it. */
import { DataSource } from 'typeorm';
import type { VhostLimitStore, VhostLimitValues } from '../../broker/ports/vhost-limit-store';
import { VhostLimitEntity } from './entities';

export class PostgresVhostLimitStore implements VhostLimitStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<Map<string, VhostLimitValues>> {
    const limits = new Map<string, VhostLimitValues>();
    for (const row of await this.dataSource.getRepository(VhostLimitEntity).find()) {
      limits.set(row.vhost, { ...limits.get(row.vhost), [row.name]: Number(row.value) });
    }
    return limits;
  }

  async save(vhost: string, limits: VhostLimitValues): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(VhostLimitEntity, { vhost });
      const rows = Object.entries(limits).map(([name, value]) => ({ vhost, name, value: String(value) }));
      if (rows.length > 0) await manager.insert(VhostLimitEntity, rows);
    });
  }
}
