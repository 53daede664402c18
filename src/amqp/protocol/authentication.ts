/**
 * Logging in with connection.start-ok: its SASL response, PLAIN ("\0user\0password")
 * or RabbitMQ's AMQPLAIN (a field table without its length prefix, holding LOGIN
 * and PASSWORD), checked by the broker's login.
 */
import type { LoginService } from '../../broker/auth/login';
import { decodeFieldTable, toPlain } from '../codec';
import { protocolError } from './protocol-error';
import { MECHANISMS } from './server-properties';

export interface LoginAttempt {
  username: string;
  password: string;
}

/**
 * The user's name, or a 403 ACCESS_REFUSED. One log line per refusal, with the
 * reason; the client is told only that the login was refused, as RabbitMQ does
 * (authentication_failure_close). Neither says the password.
 */
export function logIn(login: LoginService, mechanism: string, response: Buffer, peer: { address: string; port: number }, log: (line: string) => void): string {
  const attempt = parseLogin(mechanism, response);
  const result = attempt
    ? login.attempt({ ...attempt, peerAddress: peer.address })
    : { refused: MECHANISMS.split(' ').includes(mechanism) ? `malformed ${mechanism} response` : 'unsupported mechanism' };
  if ('user' in result) return result.user.name;
  const who = attempt ? `user '${attempt.username}'` : 'unknown user';
  log(`login refused: ${who} from ${peer.address}:${peer.port} (${mechanism}): ${result.refused}`);
  throw protocolError('ACCESS_REFUSED', `Login was refused using authentication mechanism ${mechanism}. For details see the broker logfile.`);
}

/** Returns undefined for anything it cannot read. */
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
