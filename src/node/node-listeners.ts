/**
 * The node's listeners (AMQP, HTTP, Prometheus) as /api/overview lists them.
 * Each edge adds its own once it listens, so the HTTP API learns the AMQP port
 * without importing the AMQP transport.
 */
export interface Listener {
  protocol: 'amqp' | 'http' | 'http/prometheus';
  /** The address bound, as the listener reports it ("::" or "0.0.0.0" for all interfaces). */
  ipAddress: string;
  port: number;
}

export class NodeListeners {
  private readonly listeners = new Map<Listener['protocol'], Listener>();

  add(listener: Listener): void {
    this.listeners.set(listener.protocol, listener);
  }

  remove(protocol: Listener['protocol']): void {
    this.listeners.delete(protocol);
  }

  list(): Listener[] {
    return [...this.listeners.values()];
  }
}
