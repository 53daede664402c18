/**
 * Creating and deleting vhosts: the topology holds what is in a vhost, the
 * permissions and limits their own part, and connections to a deleted vhost are
 * closed (320 CONNECTION_FORCED, "vhost 'x' is deleted") through the evictions
 * the AMQP edge listens to. As RabbitMQ's API does, whoever creates a vhost is
 * granted full permissions in it.
 */
import { preconditionFailed } from '../errors';
import type { PermissionService } from '../auth/permissions';
import type { ConnectionEvictions } from '../events/connection-evictions';
import type { TopologyService } from '../topology/topology-service';
import { DEFAULT_VHOST_SETTINGS, VhostSettings } from '../topology/vhost';
import type { VhostLimits } from './vhost-limits';

/** Warren has classic queues only; a vhost cannot default to another type. */
const QUEUE_TYPES = ['classic'];

export class VhostService {
  constructor(
    private readonly topology: TopologyService,
    private readonly permissions: PermissionService,
    private readonly limits: VhostLimits,
    private readonly evictions: ConnectionEvictions,
  ) {}

  /** Settings left out keep their value (or the default, for a new vhost). `creator` is granted full permissions in a new vhost. */
  async put(name: string, settings: Partial<VhostSettings>, creator?: string): Promise<'created' | 'updated'> {
    // RabbitMQ shows an unset default queue type as "undefined".
    const defaultQueueType = settings.defaultQueueType === 'undefined' ? undefined : settings.defaultQueueType;
    if (defaultQueueType !== undefined && !QUEUE_TYPES.includes(defaultQueueType)) {
      throw preconditionFailed(`default queue type '${defaultQueueType}' is not supported: Warren has only classic queues`);
    }
    const current = this.topology.hasVhost(name) ? this.topology.vhost(name).settings : DEFAULT_VHOST_SETTINGS;
    const outcome = await this.topology.putVhost(name, { ...current, ...definedOnly({ ...settings, defaultQueueType }) });
    if (outcome === 'created' && creator !== undefined) {
      await this.permissions.set({ user: creator, vhost: name, configure: '.*', write: '.*', read: '.*' });
    }
    return outcome;
  }

  /** False when there is no such vhost. */
  async delete(name: string): Promise<boolean> {
    if (!this.topology.hasVhost(name)) return false;
    const eviction = { vhost: name, reason: `vhost '${name}' is deleted` };
    this.evictions.evict(eviction);
    await this.topology.deleteVhost(name);
    // Again, for any connection that opened the vhost while its contents were being deleted.
    this.evictions.evict(eviction);
    await this.permissions.forgetVhost(name);
    await this.limits.forgetVhost(name);
    return true;
  }
}

function definedOnly(settings: Partial<VhostSettings>): Partial<VhostSettings> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}
