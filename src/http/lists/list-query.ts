/**
 * The query parameters every list endpoint of RabbitMQ's management API takes
 * (rabbit_mgmt_util): `page` and `page_size` (1..500, default 100), `name` with
 * `use_regex` (case-insensitive, applied with paging only, as RabbitMQ does),
 * `sort` (a dotted path such as message_stats.publish_details.rate),
 * `sort_reverse`, and `columns` (comma-separated dotted paths to keep).
 */
import { createParamDecorator, ExecutionContext, HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import { ApiRefusal } from '../filters/api-error';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;
const MAX_REGEX_LENGTH = 1024;

export interface Paging {
  page: number;
  pageSize: number;
  /** Keeps the items whose name contains this (or matches it, as a regex); undefined keeps all. */
  name?: (name: string) => boolean;
}

export interface ListQuery {
  paging?: Paging;
  /** The path to sort on first, before the endpoint's default ones; undefined: defaults only. */
  sort?: string;
  sortReverse: boolean;
  /** Paths of the fields to keep, each split at its dots; undefined keeps every field. */
  columns?: string[][];
}

type QueryValues = Request['query'];

export function parseListQuery(query: QueryValues): ListQuery {
  const sort = single(query.sort);
  const columns = single(query.columns);
  return {
    paging: parsePaging(query),
    sort: sort ? sort : undefined,
    sortReverse: single(query.sort_reverse) === 'true',
    columns: columns === undefined ? undefined : columns.split(',').filter((c) => c !== '').map((c) => c.split('.').filter((k) => k !== '')),
  };
}

/** `@ListParams() query: ListQuery` in a controller. */
export const ListParams = createParamDecorator((_data: unknown, context: ExecutionContext): ListQuery =>
  parseListQuery(context.switchToHttp().getRequest<Request>().query),
);

function parsePaging(query: QueryValues): Paging | undefined {
  const page = integerParameter(query.page);
  const pageSize = integerParameter(query.page_size);
  const useRegex = single(query.use_regex) === 'true';
  const name = single(query.name);
  if (useRegex && name !== undefined && name.length > MAX_REGEX_LENGTH) {
    throw new ApiRefusal(HttpStatus.BAD_REQUEST, 'invalid_pagination_parameters', 'name filter regex is too long');
  }
  if (page === undefined) return undefined;
  const size = pageSize ?? DEFAULT_PAGE_SIZE;
  if (page < 1 || size < 1 || size > MAX_PAGE_SIZE) {
    throw new ApiRefusal(
      HttpStatus.BAD_REQUEST, 'invalid_pagination_parameters',
      `Invalid pagination parameters: page number ${page}, page size ${size}`,
    );
  }
  return { page, pageSize: size, name: name ? nameFilter(name, useRegex) : undefined };
}

/** Absent is undefined; anything but an integer is RabbitMQ's "Pagination parameters are invalid". */
function integerParameter(value: unknown): number | undefined {
  const text = single(value);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw new ApiRefusal(HttpStatus.BAD_REQUEST, 'bad_request', 'Pagination parameters are invalid');
  return Number(text);
}

/** Like RabbitMQ: a substring match ignoring case, or a case-insensitive regex; a bad regex matches nothing. */
function nameFilter(name: string, useRegex: boolean): (candidate: string) => boolean {
  if (!useRegex) {
    const wanted = name.toLowerCase();
    return (candidate) => candidate.toLowerCase().includes(wanted);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(name, 'i');
  } catch {
    return () => false;
  }
  return (candidate) => pattern.test(candidate);
}

/** The last value of a parameter given more than once, as cowboy reads it; undefined when absent. */
function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return single(value[value.length - 1]);
  return typeof value === 'string' ? value : undefined;
}
