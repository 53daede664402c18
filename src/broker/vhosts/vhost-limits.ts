/**
 * Vhost limits as RabbitMQ's rabbit_vhost_limit: max-connections and
 * max-queues, each an integer, a negative one meaning "no limit" and 0 meaning
 * "none allowed". Enforced with RabbitMQ's errors when a connection opens the
 * vhost (530 NOT_ALLOWED) and when a queue is created (406 PRECONDITION_FAILED).
 */
import { BrokerError, preconditionFailed } from '../errors';
import type { VhostLimitStore, VhostLimitValues } from '../ports/vhost-limit-store';

export const VHOST_LIMIT_NAMES = ['max-connections', 'max-queues'] as const;
export type VhostLimitName = (typeof VHOST_LIMIT_NAMES)[number];

export class VhostLimits {
  private readonly limits: Map<string, VhostLimitValues>;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: VhostLimitStore, loaded: Map<string, VhostLimitValues>) {
    this.limits = new Map([...loaded].map(([vhost, values]) => [vhost, { ...values }]));
  }

  /** Vhosts that have limits, with them. */
  list(): { vhost: string; value: VhostLimitValues }[] {
    return [...this.limits].filter(([, value]) => Object.keys(value).length > 0).map(([vhost, value]) => ({ vhost, value: { ...value } }));
  }

  of(vhost: string): VhostLimitValues {
    return { ...(this.limits.get(vhost) ?? {}) };
  }

  /** Sets one limit; RabbitMQ's validation message when the name or value is wrong. */
  set(vhost: string, name: string, value: unknown): Promise<void> {
    const problem = limitProblem(name, value);
    if (problem) throw preconditionFailed(`Validation failed\n\n${problem}\n`);
    return this.replace(vhost, { ...this.of(vhost), [name]: value as number });
  }

  /** Replaces all of a vhost's limits (definitions import); validated like set. */
  setAll(vhost: string, values: Record<string, unknown>): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      const problem = limitProblem(name, value);
      if (problem) throw preconditionFailed(`Validation failed\n\n${problem}\n`);
    }
    return this.replace(vhost, { ...(values as VhostLimitValues) });
  }

  clear(vhost: string, name: string): Promise<void> {
    const values = this.of(vhost);
    delete values[name];
    return this.replace(vhost, values);
  }

  forgetVhost(vhost: string): Promise<void> {
    return this.replace(vhost, {});
  }

  /** Before connection.open completes: `open` connections are in the vhost already. */
  assertCanConnect(vhost: string, user: string, open: number): void {
    const limit = this.effective(vhost, 'max-connections');
    if (limit !== undefined && open >= limit) {
      throw new BrokerError('NOT_ALLOWED', `access to vhost '${vhost}' refused for user '${user}': connection limit (${limit}) is reached`);
    }
  }

  /** Before a queue is created in a vhost that holds `queues` already. */
  assertCanAddQueue(vhost: string, queue: string, queues: number): void {
    const limit = this.effective(vhost, 'max-queues');
    if (limit !== undefined && queues + 1 > limit) {
      throw preconditionFailed(`cannot declare queue '${queue}': queue limit in vhost '${vhost}' (${limit}) is reached`);
    }
  }

  private effective(vhost: string, name: VhostLimitName): number | undefined {
    const value = this.limits.get(vhost)?.[name];
    return value === undefined || value < 0 ? undefined : value;
  }

  private replace(vhost: string, values: VhostLimitValues): Promise<void> {
    return this.serialised(async () => {
      await this.store.save(vhost, values);
      if (Object.keys(values).length === 0) this.limits.delete(vhost);
      else this.limits.set(vhost, values);
    });
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.serial.then(work);
    this.serial = result.catch(() => undefined);
    return result;
  }
}

function limitProblem(name: string, value: unknown): string | undefined {
  if (!(VHOST_LIMIT_NAMES as readonly string[]).includes(name)) return `Unrecognised terms [{<<"${name}">>,${JSON.stringify(value)}}] in limits`;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${name} should be a number, actually was ${JSON.stringify(value)}`;
  return undefined;
}
