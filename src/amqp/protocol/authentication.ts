/**
 * SASL responses of connection.start-ok: PLAIN ("\0user\0password") and
 * RabbitMQ's AMQPLAIN (a field table without its length prefix, holding LOGIN
 * and PASSWORD). Returns undefined for anything it cannot read.
 */
import { decodeFieldTable, toPlain } from '../codec';

export interface LoginAttempt {
  username: string;
  password: string;
}

export function parseLogin(mechanism: string, response: Buffer): LoginAttempt | undefined {
  if (mechanism === 'PLAIN') return parsePlain(response);
  if (mechanism === 'AMQPLAIN') return parseAmqplain(response);
  return undefined;
}

function parsePlain(response: Buffer): LoginAttempt | undefined {
  const parts = response.toString('utf8').split('\u0000');
  if (parts.length !== 3) return undefined;
  return { username: parts[1], password: parts[2] };
}

function parseAmqplain(response: Buffer): LoginAttempt | undefined {
  const framed = Buffer.allocUnsafe(response.length + 4);
  framed.writeUInt32BE(response.length, 0);
  response.copy(framed, 4);
  try {
    const table = toPlain(decodeFieldTable(framed, 0).value);
    const username = asText(table.LOGIN);
    const password = asText(table.PASSWORD);
    return username === undefined || password === undefined ? undefined : { username, password };
  } catch {
    return undefined;
  }
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}
