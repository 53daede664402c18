import { fieldValuesEqual } from '../routing/field-value';

/**
 * A binding as the topology lists and persists it. The router of the source
 * exchange holds the same binding in its own fast structure for routing.
 */
export type DestinationKind = 'queue' | 'exchange';

export interface Binding {
  vhost: string;
  source: string;
  destination: string;
  destinationKind: DestinationKind;
  routingKey: string;
  arguments: Record<string, unknown>;
}

/**
 * RabbitMQ's management API names a binding by its "properties key": the routing
 * key, plus a hash of the arguments when there are any, and `~` for an empty key
 * without arguments. Clients read it back from listings, so any stable form works.
 */
export function propertiesKey(routingKey: string, args: Record<string, unknown>): string {
  const hasArgs = Object.keys(args).length > 0;
  if (!hasArgs) return routingKey === '' ? '~' : routingKey;
  return `${routingKey}~${hashArguments(args)}`;
}

export function sameBindingIdentity(a: Binding, b: Binding): boolean {
  return a.vhost === b.vhost && a.source === b.source && a.destination === b.destination
    && a.destinationKind === b.destinationKind && a.routingKey === b.routingKey
    && fieldValuesEqual(a.arguments, b.arguments);
}

/** FNV-1a over a canonical rendering of the arguments: short, stable across restarts. */
function hashArguments(args: Record<string, unknown>): string {
  const text = canonical(args);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * One text per class of equal values under fieldValuesEqual, which decides binding
 * identity in memory, so that the PostgreSQL store's unique key agrees with it:
 * integers by value whatever their type, strings and byte arrays by their bytes,
 * and a timestamp never equal to the string of its ISO form.
 */
function canonical(value: unknown): string {
  if (typeof value === 'string') return `b:${Buffer.from(value, 'utf8').toString('base64')}`;
  if (value instanceof Uint8Array) return `b:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}`;
  if (typeof value === 'bigint') return `i:${value}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `i:${BigInt(value)}` : `n:${value}`;
  if (value instanceof Date) return `t:${value.getTime()}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  // Booleans, and null and undefined alike: a store keeps a void value as null.
  return String(value ?? null);
}
