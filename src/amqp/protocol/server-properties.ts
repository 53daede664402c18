/** What connection.start tells clients about us; clients switch features on from `capabilities`. */
import { fromPlain, FieldTable } from '../codec';

export const PRODUCT = 'Warren';
export const VERSION = '0.1.0';

export const SERVER_CAPABILITIES = {
  publisher_confirms: true,
  exchange_exchange_bindings: true,
  'basic.nack': true,
  consumer_cancel_notify: true,
  'connection.blocked': true,
  authentication_failure_close: true,
  per_consumer_qos: true,
  consumer_priorities: false,
  direct_reply_to: true,
};

export function serverProperties(): FieldTable {
  return fromPlain({
    product: PRODUCT,
    version: VERSION,
    platform: `Node.js ${process.version}`,
    copyright: 'The Warren authors',
    information: 'An AMQP 0-9-1 broker on NestJS and PostgreSQL',
    cluster_name: 'warren',
    capabilities: SERVER_CAPABILITIES,
  });
}

export const MECHANISMS = 'PLAIN AMQPLAIN';
export const LOCALES = 'en_US';
