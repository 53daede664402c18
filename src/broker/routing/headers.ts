/**
 * Headers exchange: the routing key is ignored and each binding's arguments
 * are matched against the message headers, following RabbitMQ's
 * rabbit_exchange_type_headers:
 *  - `x-match` is `all` (the default), `any`, `all-with-x` or `any-with-x`;
 *  - `x-match` itself is never a criterion, and other `x-` arguments are
 *    criteria only in the `-with-x` modes;
 *  - an argument whose value is void (undefined or null) asks only that the
 *    header be present;
 *  - `all` with no criteria matches every message, `any` with none matches nothing.
 */
import { preconditionFailed } from '../errors';
import type { Headers } from '../message/message';
import { BindingTable } from './binding-table';
import type { BindingSpec, ExchangeRouter } from './exchange-type';
import { fieldValuesEqual } from './field-value';

const NO_HEADERS: Headers = Object.freeze({});
const X_MATCH_MODES = ['all', 'any', 'all-with-x', 'any-with-x'] as const;
type XMatch = (typeof X_MATCH_MODES)[number];

interface Criterion {
  name: string;
  value: unknown;
  presenceOnly: boolean;
}

/** A binding parsed once at bind time, so route() only compares values. */
interface HeadersMatcher<D> {
  destination: D;
  requireAll: boolean;
  criteria: Criterion[];
}

export class HeadersRouter<D> implements ExchangeRouter<D> {
  private readonly table = new BindingTable<D>();
  private readonly matchers = new Map<BindingSpec<D>, HeadersMatcher<D>>();

  get bindingCount(): number {
    return this.table.size;
  }

  validateBinding(spec: BindingSpec<D>): void {
    parseXMatch(spec.arguments['x-match']);
  }

  bind(spec: BindingSpec<D>): void {
    const mode = parseXMatch(spec.arguments['x-match']);
    const stored = this.table.add(spec);
    if (stored) this.matchers.set(stored, compile(stored, mode));
  }

  unbind(spec: BindingSpec<D>): void {
    const removed = this.table.remove(spec);
    if (removed) this.matchers.delete(removed);
  }

  unbindDestination(destination: D): void {
    for (const removed of this.table.removeDestination(destination)) this.matchers.delete(removed);
  }

  route(_routingKey: string, headers: Headers | undefined, into: Set<D>): void {
    const present = headers ?? NO_HEADERS;
    for (const matcher of this.matchers.values()) {
      if (!into.has(matcher.destination) && matches(matcher, present)) into.add(matcher.destination);
    }
  }
}

function parseXMatch(value: unknown): XMatch {
  if (value === undefined) return 'all';
  // The AMQP edge may hand a longstr over as bytes rather than a string.
  const text = value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value;
  if (typeof text !== 'string') {
    const type = value === null ? 'void' : typeof value;
    throw preconditionFailed(`Invalid x-match field type ${type} (value ${String(value)}); expected longstr`);
  }
  if (!(X_MATCH_MODES as readonly string[]).includes(text)) {
    throw preconditionFailed(`Invalid x-match field value '${text}'; expected all, any, all-with-x, or any-with-x`);
  }
  return text as XMatch;
}

function compile<D>(binding: BindingSpec<D>, mode: XMatch): HeadersMatcher<D> {
  const withX = mode === 'all-with-x' || mode === 'any-with-x';
  const criteria: Criterion[] = [];
  for (const [name, value] of Object.entries(binding.arguments)) {
    if (name === 'x-match' || (!withX && name.startsWith('x-'))) continue;
    criteria.push({ name, value, presenceOnly: value === undefined || value === null });
  }
  return { destination: binding.destination, requireAll: mode.startsWith('all'), criteria };
}

function matches<D>(matcher: HeadersMatcher<D>, headers: Headers): boolean {
  for (const criterion of matcher.criteria) {
    const hit = Object.hasOwn(headers, criterion.name)
      && (criterion.presenceOnly || fieldValuesEqual(criterion.value, headers[criterion.name]));
    if (hit !== matcher.requireAll) return hit;
  }
  return matcher.requireAll;
}
