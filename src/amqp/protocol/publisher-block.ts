/**
 * RabbitMQ's connection.blocked, for one connection. While publishing is held
 * back (the memory alarm, a message store that cannot write), a connection that
 * has published stops being read, and a client that understands
 * connection.blocked is told why. Connections that only consume carry on.
 */
export interface BlockableConnection {
  /** Blocking applies only to an open connection (not during the handshake or a close). */
  isOpen(): boolean;
  pauseReading(): void;
  resumeReading(): void;
  /** connection.blocked with the reason, or connection.unblocked (undefined), if the client understands them. */
  tell(reason: string | undefined): void;
}

export class PublisherBlock {
  private reason?: string;
  private publisher = false;
  private blocked = false;

  constructor(private readonly connection: BlockableConnection) {}

  /** This connection is held back now: it published while publishing is held back. */
  get isBlocked(): boolean {
    return this.blocked;
  }

  /** Publishing is held back, whether or not this connection has published. */
  get isHeldBack(): boolean {
    return this.reason !== undefined;
  }

  /** Publishing is held back for `reason`, or allowed again (undefined). */
  publishingHeldBack(reason: string | undefined): void {
    this.reason = reason;
    if (reason && this.publisher) this.block();
    if (!reason) this.unblock();
  }

  /** The connection published: from now on it is blocked along with the other publishers. */
  published(): void {
    this.publisher = true;
    if (this.reason && !this.blocked) this.block();
  }

  private block(): void {
    if (this.blocked || !this.connection.isOpen()) return;
    this.blocked = true;
    this.connection.pauseReading();
    this.connection.tell(this.reason ?? '');
  }

  private unblock(): void {
    if (!this.blocked) return;
    this.blocked = false;
    if (this.connection.isOpen()) this.connection.tell(undefined);
    this.connection.resumeReading();
  }
}
