/**
 * "These connections must go": raised by the core when a vhost or a user is
 * deleted, heard by whichever edge holds connections (the AMQP transport today),
 * which closes the matching ones with 320 CONNECTION_FORCED and the reason.
 * The core never learns what a connection is; HTTP never imports the transport.
 */
export interface Eviction {
  /** Connections to this vhost, or of this user; both set means either. */
  vhost?: string;
  user?: string;
  /** RabbitMQ's wording, e.g. "vhost 'x' is deleted"; the edge prefixes CONNECTION_FORCED. */
  reason: string;
}

export type EvictionListener = (eviction: Eviction) => void;

export class ConnectionEvictions {
  private readonly listeners = new Set<EvictionListener>();

  /** Returns the unsubscribe function. */
  subscribe(listener: EvictionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  evict(eviction: Eviction): void {
    for (const listener of this.listeners) listener(eviction);
  }
}

export function matchesEviction(eviction: Eviction, connection: { vhost?: string; user?: string }): boolean {
  return (eviction.vhost !== undefined && eviction.vhost === connection.vhost) || (eviction.user !== undefined && eviction.user === connection.user);
}
