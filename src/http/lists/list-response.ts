/**
 * Answers a list request the way RabbitMQ's management API does: sorted (the
 * requested path first, then the endpoint's defaults), filtered by name and cut
 * to a page when `page` is given (then wrapped in RabbitMQ's envelope), and
 * reduced to the requested columns. Items are JSON-ready views.
 */
import { HttpStatus } from '@nestjs/common';
import { ApiRefusal } from '../filters/api-error';
import type { ListQuery } from './list-query';

export interface Page<T> {
  items: T[];
  page: number;
  page_size: number;
  page_count: number;
  item_count: number;
  filtered_count: number;
  total_count: number;
}

type View = object;

export function answerList<T extends View>(views: T[], query: ListQuery, defaultSort: readonly string[] = ['vhost', 'name']): T[] | Page<T> {
  return answerListing({ items: views, present: (view) => view }, query, defaultSort);
}

/**
 * A list whose items are presented only when needed. With `basic`, the cheap
 * fields of an item (its name, vhost, settings: nothing that needs counting),
 * a sort and a name filter on those run on the items themselves and only the
 * requested page is presented, as RabbitMQ's management API does for its
 * "basic" columns. A sort on anything else presents every item first.
 */
export interface Listing<T, V extends View> {
  items: T[];
  present(item: T): V;
  basic?(item: T): View;
}

export function answerListing<T, V extends View>(listing: Listing<T, V>, query: ListQuery, defaultSort: readonly string[] = ['vhost', 'name']): V[] | Page<V> {
  const paths = sortPaths(query.sort, defaultSort);
  const { items, basic } = listing;
  const onBasic = basic !== undefined && items.length > 0 && coveredBy(basic(items[0]), paths);
  const keyOf: (item: T) => View = onBasic ? basic! : memoized(listing.present);
  const sorted = sortItems(items, keyOf, paths, query.sortReverse);
  const { paging } = query;
  if (!paging) return project(sorted.map((item) => keyedView(item, keyOf, onBasic, listing.present)), query.columns);
  const filtered = paging.name ? sorted.filter((item) => paging.name!(nameOf(keyOf(item)))) : sorted;
  const start = (paging.page - 1) * paging.pageSize;
  if (start > filtered.length) {
    throw new ApiRefusal(
      HttpStatus.BAD_REQUEST, 'page_out_of_range',
      `Page out of range, page: ${paging.page} page size: ${paging.pageSize}, len: ${filtered.length}`,
    );
  }
  const page = filtered.slice(start, start + paging.pageSize).map((item) => keyedView(item, keyOf, onBasic, listing.present));
  const projected = project(page, query.columns);
  return {
    filtered_count: filtered.length,
    item_count: projected.length,
    items: projected,
    page: paging.page,
    page_count: Math.ceil(filtered.length / paging.pageSize),
    page_size: paging.pageSize,
    total_count: items.length,
  };
}

function coveredBy(basicView: View, paths: string[][]): boolean {
  return paths.every((path) => path[0] in basicView);
}

/** Presents each item once however often the sort asks for it. */
function memoized<T, V extends View>(present: (item: T) => V): (item: T) => V {
  const views = new Map<T, V>();
  return (item) => {
    let view = views.get(item);
    if (view === undefined) views.set(item, (view = present(item)));
    return view;
  };
}

function keyedView<T, V extends View>(item: T, keyOf: (item: T) => View, onBasic: boolean, present: (item: T) => V): V {
  return onBasic ? present(item) : (keyOf(item) as V);
}

/** One object (GET of a single item) reduced to the requested columns. */
export function answerItem<T extends View>(view: T, query: ListQuery): T {
  return query.columns ? (pick(view, query.columns) as T) : view;
}

function sortPaths(sort: string | undefined, defaults: readonly string[]): string[][] {
  const paths = sort === undefined ? [...defaults] : [...new Set([sort, ...defaults])];
  return paths.map((path) => path.split('.').filter((key) => key !== ''));
}

/** Sort keys are read once per item; the comparison is Erlang's term order, as RabbitMQ sorts. */
function sortItems<T>(items: T[], keyOf: (item: T) => View, paths: string[][], reverse: boolean): T[] {
  if (paths.length === 0) return reverse ? [...items].reverse() : items;
  const keyed = items.map((item) => {
    const view = keyOf(item);
    return { item, keys: paths.map((path) => valueAt(view, path)) };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < paths.length; i++) {
      const order = compareTerms(a.keys[i], b.keys[i]);
      if (order !== 0) return order;
    }
    return 0;
  });
  const sorted = keyed.map((entry) => entry.item);
  return reverse ? sorted.reverse() : sorted;
}

/** A missing value sorts as 0, like RabbitMQ's get_dotted_value. */
function valueAt(view: unknown, path: string[]): unknown {
  let value = view;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 0;
    value = (value as Record<string, unknown>)[key];
    if (value === undefined) return 0;
  }
  return value;
}

/** Erlang's order of terms as JSON shows them: numbers < atoms (booleans, null) < maps < lists < binaries (strings). */
export function compareTerms(a: unknown, b: unknown): number {
  const rankA = termRank(a);
  const rankB = termRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (rankA === 0) return (a as number) - (b as number);
  if (rankA === 1 || rankA === 4) {
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (rankA === 3) {
    const x = a as unknown[];
    const y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const order = compareTerms(x[i], y[i]);
      if (order !== 0) return order;
    }
    return x.length - y.length;
  }
  return 0;
}

function termRank(value: unknown): number {
  if (typeof value === 'number') return 0;
  if (typeof value === 'string') return 4;
  if (Array.isArray(value)) return 3;
  if (value !== null && typeof value === 'object') return 2;
  return 1;
}

function nameOf(view: View): string {
  const name = (view as { name?: unknown }).name;
  return typeof name === 'string' ? name : '';
}

function project<T extends View>(views: T[], columns: string[][] | undefined): T[] {
  return columns ? views.map((view) => pick(view, columns) as T) : views;
}

/** Keeps the fields named by `columns` (dotted paths), descending into objects as RabbitMQ's extract_column_items does. */
function pick(value: unknown, columns: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, columns));
  if (value === null || typeof value !== 'object') return value;
  const picked: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const wanted = columns.filter((path) => path[0] === key);
    if (wanted.length === 0) continue;
    picked[key] = wanted.some((path) => path.length === 1) ? field : pick(field, wanted.map((path) => path.slice(1)));
  }
  return picked;
}
