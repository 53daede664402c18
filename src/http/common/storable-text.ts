/**
 * PostgreSQL's text cannot hold U+0000 and its jsonb refuses unpaired UTF-16
 * surrogates, so a durable name, routing key or argument containing either failed
 * in the topology store with a 500. Until the store can hold them, the HTTP edge
 * refuses them with 400. (Names reached from AMQP have the same problem; reported.)
 */
import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { ValidateBy } from 'class-validator';

const MAX_DEPTH = 64;

/** Why the value cannot be stored, or undefined when it can; walks keys and nested values. */
export function unstorableText(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return 'contains a NUL character (U+0000)';
    if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return 'contains an unpaired UTF-16 surrogate';
    return undefined;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const problem = unstorableText(key, depth + 1) ?? unstorableText(item, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/** For DTO fields that end up in the topology store. */
export const Storable = () =>
  ValidateBy({
    name: 'storable',
    validator: {
      validate: (value) => unstorableText(value) === undefined,
      defaultMessage: (args) => `${args?.property} ${unstorableText(args?.value) ?? 'cannot be stored'}`,
    },
  });

/** For a name taken from the URL of a declaration. */
@Injectable()
export class StorableNamePipe implements PipeTransform<string, string> {
  transform(name: string): string {
    const problem = unstorableText(name);
    if (problem) throw new BadRequestException(`the name ${problem}`);
    return name;
  }
}
