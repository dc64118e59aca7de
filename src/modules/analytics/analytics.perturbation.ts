import { sql, type SQL } from 'drizzle-orm';

/**
 * Disclosure control of `stats` and `coverage` for roles without identity access: the cell key
 * method of the ONS (cell-key perturbation) and the ABS (TableBuilder).
 *
 * - Every household, person and enrolment row carries a record key, a random integer 0..255
 *   drawn once when the row is inserted (migration 0008_record_keys) and never shown to anyone.
 * - A cell's key is the sum of its rows' record keys mod 256, computed beside count(*) inside
 *   the GROUP BY. For one or more rows with independent uniform keys it is uniform on 0..255.
 * - The perturbation table below maps (count, cell key) to an adjustment added to the count. The
 *   same set of rows always has the same count and key, hence the same published number:
 *   repeating a query, re-slicing it, or reaching the same rows through `stats` and `coverage`
 *   gives the same value, so the noise cannot be averaged away; two overlapping cells have
 *   unrelated keys, so their difference does not isolate a small group exactly.
 *
 * Parameters (README "Analytics for Bappeda"):
 *   MAX_ADJUSTMENT = 2         |published - true| <= 2 for every perturbed number (before the
 *                              STATS_MIN_CELL floor of shown stats cells, which only raises it)
 *   count 0                    never changed (an empty cell stays empty)
 *   count 1                    -1, 0, +1 with probabilities 77/256, 102/256, 77/256
 *   count >= 2                 -2, -1, 0, +1, +2 with probabilities 26, 51, 102, 51, 26 (/256)
 * Every row of the table has mean 0 (the published numbers are unbiased), the variance is
 * 0.60 (count 1) and 1.21 (count >= 2), and no published number is negative.
 */

export const RECORD_KEY_MODULUS = 256;
export const MAX_ADJUSTMENT = 2;

/** Adjustment -> number of the 256 cell keys that get it, per row of the table. */
const DISTRIBUTIONS: ReadonlyArray<ReadonlyArray<readonly [adjustment: number, keys: number]>> = [
  /* count 0  */ [[0, 256]],
  /* count 1  */ [[-1, 77], [0, 102], [1, 77]],
  /* count 2+ */ [[-2, 26], [-1, 51], [0, 102], [1, 51], [2, 26]],
];

/**
 * The table itself: PERTURBATION_TABLE[min(count, 2)][cellKey] is the adjustment. Keys are given
 * to the adjustments in contiguous runs, lowest adjustment first (the keys are uniform, so the
 * order of the runs does not matter).
 */
export const PERTURBATION_TABLE: ReadonlyArray<ReadonlyArray<number>> = DISTRIBUTIONS.map((row) => {
  const keys = row.flatMap(([adjustment, n]) => Array<number>(n).fill(adjustment));
  if (keys.length !== RECORD_KEY_MODULUS) throw new Error('perturbation table row must cover 256 cell keys');
  return keys;
});
const LAST_ROW = PERTURBATION_TABLE.length - 1;

/** The adjustment of a cell (the JavaScript twin of perturbedCount, for documentation and checks). */
export function adjustment(count: number, cellKey: number): number {
  return PERTURBATION_TABLE[Math.min(count, LAST_ROW)][cellKey];
}

/** The published number of a cell: count + adjustment (never negative by construction). */
export function perturb(count: number, cellKey: number): number {
  return count + adjustment(count, cellKey);
}

const MODULUS_SQL = sql.raw(String(RECORD_KEY_MODULUS));

/** The table as one SQL array constant, rows one after the other (256 entries per row). */
const TABLE_SQL = sql.raw(`'{${PERTURBATION_TABLE.flat().join(',')}}'::int[]`);

/**
 * `count + adjustment` in SQL, for a cell's count and its key (sum of record keys mod 256),
 * both int expressions. Inside the statement: no row travels to JavaScript to be perturbed.
 */
export function perturbedCount(count: SQL, cellKey: SQL): SQL {
  return sql`(${count} + (${TABLE_SQL})[least(${count}, ${sql.raw(String(LAST_ROW))}) * ${MODULUS_SQL} + ${cellKey} + 1])`;
}

/** A cell's key from the record keys of its rows (an aggregate: use inside the GROUP BY). */
export const cellKey = (recordKey: SQL, filter?: SQL): SQL =>
  filter
    ? sql`(coalesce(sum(${recordKey}) filter (where ${filter}), 0) % ${MODULUS_SQL})::int`
    : sql`(sum(${recordKey}) % ${MODULUS_SQL})::int`;
