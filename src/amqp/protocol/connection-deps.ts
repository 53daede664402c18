/** What an AMQP connection needs from the broker and its transport; the transport builds it once for all connections. */
import type { AccessPolicy } from '../../broker/auth/access-policy';
import type { ClientRegistry } from '../../broker/clients/client-registry';
import type { LoginService } from '../../broker/auth/login';
import type { Publisher } from '../../broker/publishing/publisher';
import type { TopologyService } from '../../broker/topology/topology-service';
import type { VhostLimits } from '../../broker/vhosts/vhost-limits';

export interface ConnectionLimits {
  frameMax: number;
  channelMax: number;
  heartbeatSeconds: number;
  maxMessageSize: number;
}

export interface ConnectionDeps {
  topology: TopologyService;
  publisher: Publisher;
  login: LoginService;
  access: AccessPolicy;
  vhostLimits: VhostLimits;
  /** Where open connections are registered, for the admin API and the metrics. */
  clients: ClientRegistry;
  /** How many connections have opened this vhost (for max-connections). */
  openConnectionsIn(vhost: string): number;
  limits: ConnectionLimits;
  log: (level: 'warn' | 'error' | 'debug', message: string) => void;
}

/** Where the client connects from, as its socket says. */
export interface Peer {
  address: string;
  port: number;
}
