/** What a channel needs from its connection and the broker, kept narrow so channels test in isolation. */
import type { ClientConnection } from '../../broker/clients/live-clients';
import type { ResourceAccess } from '../../broker/auth/access-policy';
import type { Publisher } from '../../broker/publishing/publisher';
import type { TopologyService } from '../../broker/topology/topology-service';

export interface ChannelContext {
  readonly connectionId: string;
  /** The connection as the admin API sees it. */
  readonly connection: ClientConnection;
  /** The authenticated user, whom a publisher's user-id property must name. */
  readonly user: string;
  readonly vhost: string;
  /** The user's permissions in the vhost: every method that touches a resource asks first. */
  readonly access: ResourceAccess;
  readonly frameMax: number;
  readonly maxMessageSize: number;
  /** The client said it understands server-sent basic.cancel. */
  readonly consumerCancelNotify: boolean;
  readonly topology: TopologyService;
  readonly publisher: Publisher;
  /** Whether the socket can take more deliveries now. */
  readonly writable: boolean;
  send(bytes: Buffer): void;
  /** A message was published on this connection: it is a publisher, subject to the memory alarm. */
  published(): void;
  /** Confirms are gathered and sent once per batch of incoming frames. */
  confirmsPending(channel: number): void;
}
