/**
 * An AMQP connection as the broker's ClientRegistry (and through it the admin
 * API and the metrics) sees it: who, from where, in which state, with which
 * channels, and a way to close it. Read-only except for close().
 */
import type { ClientChannel, ClientConnection, ConnectionDetails, ConnectionState } from '../../broker/clients/live-clients';
import { connectionName } from '../../broker/clients/live-clients';
import type { TrafficCounters } from '../../broker/stats/counters';
import type { Outbound } from './outbound';

/** What the view reads from the protocol connection. */
export interface ConnectionFacts {
  readonly id: string;
  /** Both known once the connection is open, which is when it is registered. */
  readonly user: string | undefined;
  readonly vhost: string | undefined;
  readonly clientState: ConnectionState;
  readonly authMechanism: string;
  readonly clientProperties: Record<string, unknown>;
  readonly tunedFrameMax: number;
  readonly tunedChannelMax: number;
  readonly heartbeat: number | undefined;
  openChannels(): Iterable<ClientChannel>;
  closeWith(code: number, text: string): void;
}

export class ConnectionView implements ClientConnection {
  readonly name: string;

  constructor(private readonly facts: ConnectionFacts, private readonly out: Outbound) {
    this.name = connectionName(out.endpoint);
  }

  get id(): string {
    return this.facts.id;
  }

  get user(): string {
    return this.facts.user ?? '';
  }

  get vhost(): string {
    return this.facts.vhost ?? '';
  }

  get state(): ConnectionState {
    return this.facts.clientState;
  }

  get traffic(): TrafficCounters {
    return this.out.traffic;
  }

  get details(): ConnectionDetails {
    const { facts } = this;
    return {
      ...this.out.endpoint,
      protocol: 'AMQP 0-9-1',
      authMechanism: facts.authMechanism,
      clientProperties: facts.clientProperties,
      frameMax: facts.tunedFrameMax,
      channelMax: facts.tunedChannelMax,
      heartbeat: facts.heartbeat ?? 0,
    };
  }

  channels(): Iterable<ClientChannel> {
    return this.facts.openChannels();
  }

  /** Forced closure (the admin API's DELETE): clients see 320 CONNECTION_FORCED with the operator's reason. */
  close(reason: string): void {
    this.facts.closeWith(320, `CONNECTION_FORCED - ${reason}`);
  }
}
