import DataLoader from 'dataloader';

/**
 * DataLoader helpers that keep the batch contract (dataloader examples/SQL.md): one statement
 * per batch, a Map, then `keys.map(...)` so every key gets its own answer in key order.
 */

const BATCH = { maxBatchSize: 1000 } as const;

/** key -> row or null (a row out of scope is simply not returned by `fetch`). */
export function byKeyLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T | null>(async (keys) => {
    const map = new Map((await fetch(keys)).map((row) => [keyOf(row), row]));
    return keys.map((key) => map.get(key) ?? null);
  }, BATCH);
}

/** key -> rows (in the order `fetch` returns them). */
export function groupLoader<T>(fetch: (keys: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>();
    for (const row of await fetch(keys)) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  }, BATCH);
}

/**
 * A nested list with an optional argument (e.g. `enrolments(status:)`): the argument is part of
 * the key, so `enrolments` and `enrolments(status: ACTIVE)` of one parent are cached apart, yet
 * a batch mixing both still runs one statement. `fetch` gets the owner ids and the distinct
 * argument values, or null when some key wants every value.
 */
export interface ArgKey<A extends string> {
  id: string;
  arg: A | null;
}
export function argGroupLoader<T, A extends string>(
  fetch: (ids: readonly string[], args: readonly A[] | null) => Promise<T[]>,
  ownerOf: (row: T) => string | null,
  argOf: (row: T) => A,
) {
  return new DataLoader<ArgKey<A>, T[], string>(async (keys) => {
    const ids = [...new Set(keys.map((k) => k.id))];
    const args = keys.some((k) => k.arg == null) ? null : [...new Set(keys.map((k) => k.arg as A))];
    const groups = new Map<string, T[]>();
    for (const row of await fetch(ids, args)) {
      const owner = ownerOf(row);
      if (owner == null) continue;
      const group = groups.get(owner);
      if (group) group.push(row);
      else groups.set(owner, [row]);
    }
    return keys.map((k) => (groups.get(k.id) ?? []).filter((row) => k.arg == null || argOf(row) === k.arg));
  }, { ...BATCH, cacheKeyFn: (k) => `${k.arg ?? ''}\u0000${k.id}` });
}
