/**
 * What the message store reports about its own work, for whoever exports
 * metrics (the Prometheus edge). The store calls this once per group commit,
 * never per message, and never learns which metrics library listens.
 */
export interface StoreMetrics {
  /** One group commit: how many publishes it carried and how long the write took. */
  groupCommitted(messages: number, seconds: number): void;
}

/** The store's connection pool as it stands, read when metrics are scraped. */
export interface ConnectionPoolStatus {
  readonly total: number;
  readonly idle: number;
  /** Requests waiting for a free connection. */
  readonly waiting: number;
}

export const STORE_METRICS = 'StoreMetrics';
export const CONNECTION_POOL_STATUS = 'ConnectionPoolStatus';

/** For stores nobody watches (tests, tools). */
export const UNWATCHED_STORE: StoreMetrics = { groupCommitted: () => undefined };
