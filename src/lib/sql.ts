import { sql, type SQL } from 'drizzle-orm';

/**
 * `x in ${keyList(keys)}`: a loader's keys as ONE JSON parameter instead of one parameter per
 * key, so the statement text is the same whatever the batch size. PostgreSQL can then reuse a
 * prepared statement and its plan (src/db/client.ts prepares raw reads on postgres.js), and
 * PGlite and postgres.js treat the parameter identically.
 */
export function keyList(keys: readonly string[]): SQL {
  return sql`(select json_array_elements_text(${JSON.stringify(keys)}::json))`;
}
