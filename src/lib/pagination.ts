import { BadUserInputError, quote } from './errors.js';
import { wellFormedProblem } from './text.js';

/**
 * Relay connections over keyset pagination (CONTRACT.md section 9).
 *
 * A cursor is the base64url of a small versioned JSON: `{"v":1,"l":"<list>","k":"<last key>"}`.
 * Lists are ordered by their primary key, so a page boundary stays where it was while rows are
 * inserted or removed elsewhere (an OFFSET would shift). Cursors are opaque to clients and
 * decoded strictly: anything that is not exactly what this module wrote, or a cursor of another
 * list, is BAD_USER_INPUT, never a database error.
 */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const CURSOR_VERSION = 1;
const MAX_CURSOR_LENGTH = 400;

/** The list a cursor belongs to: a cursor of one list is refused by another. */
export type ListName = 'households' | 'persons' | 'enrolments' | 'audit' | 'referrals' | 'duplicates';

/** Longest key: a record id (64), or `<microseconds>:<id>` for referrals (newest first). */
const maxKeyLength = (list: ListName) => (list === 'referrals' ? 96 : 64);

/** `first` as given (null/undefined: the default), checked against 0..500. */
export function pageSize(first: number | null | undefined, argument = 'first'): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`${argument} must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, argument);
  }
  return first;
}

export function encodeCursor(list: ListName, key: string): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, l: list, k: key })).toString('base64url');
}

/** The key after which the page starts; null when `after` is absent. */
export function decodeCursor(list: ListName, after: string | null | undefined, argument = 'after'): string | null {
  if (after == null) return null;
  const refuse = () => new BadUserInputError(`${argument} is not a cursor of this list (${list}), got ${quote(after)}`, argument);
  if (after.length === 0 || after.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(after)) throw refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse();
  const { v, l, k, ...rest } = parsed as Record<string, unknown>;
  if (v !== CURSOR_VERSION || l !== list || typeof k !== 'string' || k.length === 0 || k.length > maxKeyLength(list) || Object.keys(rest).length > 0) {
    throw refuse();
  }
  // A key this module wrote is a record key: printable, well-formed text. A crafted one holding
  // NUL or a lone surrogate (JSON escapes allow both) would reach PostgreSQL and fail there.
  if (/[\u0000-\u001f\u007f]/.test(k) || wellFormedProblem(k) !== null) throw refuse();
  // Round-trip check: only the exact encoding this module produces is accepted.
  if (encodeCursor(list, k) !== after) throw refuse();
  return k;
}

export interface PageInfoShape {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfoShape;
  /**
   * A getter, read only when the client selects totalCount, so the count(*) runs only then
   * (at most once). It must apply the same scoped WHERE as the rows.
   */
  readonly totalCount: Promise<number>;
}

/**
 * Build a connection from `first + 1` rows fetched in key order: the extra row only says that
 * there is a next page.
 */
export function toConnection<T>(
  list: ListName,
  rows: T[],
  first: number,
  keyOf: (row: T) => string,
  count: () => Promise<number>,
): ConnectionShape<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(list, keyOf(node)), node }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    get totalCount() {
      return (counted ??= count());
    },
  };
}
