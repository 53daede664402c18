/**
 * AMQP field values as JSON, the way RabbitMQ's management API renders them:
 * integers beyond 2^53 and non-finite numbers as strings, timestamps as seconds,
 * decimals as numbers, byte strings as text when they are UTF-8 (base64 otherwise).
 * Arguments and headers that arrived over AMQP can hold all of these, and a bigint
 * would otherwise make JSON.stringify throw.
 */
import { isUtf8 } from 'buffer';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function toJsonValue(value: unknown): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'object':
      return value === null ? null : objectToJson(value);
    default:
      return null;
  }
}

const EMPTY_TABLE: { [key: string]: JsonValue } = Object.freeze({});

/** An empty table comes back as one shared frozen object: listings present thousands of them. */
export function toJsonTable(table: Record<string, unknown> | undefined): { [key: string]: JsonValue } {
  if (!table) return EMPTY_TABLE;
  let empty = true;
  for (const _ in table) {
    empty = false;
    break;
  }
  if (empty) return EMPTY_TABLE;
  const json: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(table ?? {})) json[key] = toJsonValue(table![key]);
  return json;
}

function objectToJson(value: object): JsonValue {
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('base64');
  }
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (Array.isArray(value)) return value.map(toJsonValue);
  const tagged = value as { type?: unknown; value?: unknown };
  if (tagged.type === 'T' && Object.keys(value).length === 2) return toJsonValue(tagged.value);
  if (tagged.type === 'D' && isDecimal(tagged.value)) return tagged.value.digits / 10 ** tagged.value.scale;
  return toJsonTable(value as Record<string, unknown>);
}

function isDecimal(value: unknown): value is { scale: number; digits: number } {
  return typeof value === 'object' && value !== null && typeof (value as { scale?: unknown }).scale === 'number'
    && typeof (value as { digits?: unknown }).digits === 'number';
}
