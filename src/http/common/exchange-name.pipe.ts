import { Injectable, PipeTransform } from '@nestjs/common';

/** URLs cannot carry the default exchange's empty name; RabbitMQ's API writes it `amq.default`. */
export const DEFAULT_EXCHANGE_ALIAS = 'amq.default';

@Injectable()
export class ExchangeNamePipe implements PipeTransform<string, string> {
  transform(name: string): string {
    return name === DEFAULT_EXCHANGE_ALIAS ? '' : name;
  }
}

export function exchangeNameInUrl(name: string): string {
  return encodeURIComponent(name === '' ? DEFAULT_EXCHANGE_ALIAS : name);
}
