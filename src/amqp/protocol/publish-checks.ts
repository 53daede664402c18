/**
 * Checks RabbitMQ makes on a published message's properties before routing it,
 * with its reply texts: user-id must name the authenticated user, and
 * expiration must be a whole number of milliseconds.
 */
import type { MessageProperties } from '../../broker/message/message';
import { protocolError } from './protocol-error';

/** RabbitMQ's largest per-message TTL (?MAX_EXPIRY_TIMER): 2^32 - 1 ms. */
const MAX_EXPIRATION_MS = 4294967295;

export function checkPublishedProperties(properties: MessageProperties, user: string): void {
  if (properties.userId !== undefined && properties.userId !== user) {
    throw protocolError('PRECONDITION_FAILED', `user_id property set to '${properties.userId}' but authenticated user was '${user}'`);
  }
  if (properties.expiration !== undefined) {
    const problem = expirationProblem(properties.expiration);
    if (problem) throw protocolError('PRECONDITION_FAILED', `invalid expiration '${properties.expiration}': ${problem}`);
  }
}

/** What is wrong with an expiration, worded as RabbitMQ's Erlang terms; undefined when it is fine. */
function expirationProblem(expiration: string): string | undefined {
  const match = /^[+-]?\d+/.exec(expiration);
  if (!match) return 'no_integer';
  if (match[0].length < expiration.length) return `{leftover_string,${JSON.stringify(expiration.slice(match[0].length))}}`;
  const value = Number(match[0]);
  if (value < 0) return `{value_negative,${value}}`;
  if (value > MAX_EXPIRATION_MS) return `{value_too_large,${value}}`;
  return undefined;
}
