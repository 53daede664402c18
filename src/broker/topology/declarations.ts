/**
 * Declarations as the edges hand them to the topology service, and the copies
 * and comparable views it keeps of them.
 */
import { randomBytes } from 'crypto';
import type { ExchangeSettings } from './exchange';

export interface ExchangeDeclaration extends Omit<ExchangeSettings, 'type'> {
  type: string;
}

export interface QueueDeclaration {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
  arguments: Record<string, unknown>;
}

/** Exactly the settings, copied: declarations and store records may carry more, and callers may mutate theirs. */
export function exchangeSettings(s: ExchangeSettings): ExchangeSettings {
  return { type: s.type, durable: s.durable, autoDelete: s.autoDelete, internal: s.internal, arguments: { ...s.arguments } };
}

export function queueSettings(s: QueueDeclaration): QueueDeclaration {
  return { durable: s.durable, exclusive: s.exclusive, autoDelete: s.autoDelete, arguments: { ...s.arguments } };
}

export function exchangeView(s: ExchangeSettings | ExchangeDeclaration): Record<string, unknown> {
  return { type: s.type, durable: s.durable, auto_delete: s.autoDelete, internal: s.internal, ...s.arguments };
}

export function queueView(s: QueueDeclaration): Record<string, unknown> {
  return { durable: s.durable, auto_delete: s.autoDelete, ...s.arguments };
}

export function generatedQueueName(): string {
  return `amq.gen-${randomBytes(16).toString('base64url').slice(0, 22)}`;
}
