/**
 * Whether the message store can write. Writers report each failure and each
 * success; the AMQP edge blocks publishers and /api/health answers 503 while
 * writes fail, and both resume by themselves when the database is back.
 */
import type { MessageStoreStatus } from '../../../broker/ports/message-store';
import type { StoreAvailability } from './postgres-message-store';

export class StoreHealth implements StoreAvailability, MessageStoreStatus {
  private lastError?: Error;
  private readonly listeners = new Set<(available: boolean) => void>();

  constructor(private readonly log: (message: string) => void) {}

  get available(): boolean {
    return this.lastError === undefined;
  }

  get problem(): string | undefined {
    return this.lastError?.message;
  }

  failed(error: Error): void {
    const wasAvailable = this.available;
    this.lastError = error;
    if (wasAvailable) {
      this.log(`message store writes failing, retrying: ${error.message}`);
      for (const listener of this.listeners) listener(false);
    }
  }

  recovered(): void {
    if (this.available) return;
    this.lastError = undefined;
    this.log('message store writes succeed again');
    for (const listener of this.listeners) listener(true);
  }

  onChange(listener: (available: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
